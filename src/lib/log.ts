// The one logger interface every component takes: pino's (object, message) form. The server hands in its
// Fastify (pino) logger or a child of it; tools and tests pass pino, a recorder, or silentLog.

/** Log is what a component logs through. */
export interface Log {
  debug: (obj: object, msg: string) => void
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
  error: (obj: object, msg: string) => void
}

const ignore = (): void => {}

/** silentLog drops everything (for tools run without a logger). */
export const silentLog: Log = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore })

/** lineLog writes each entry as one line, `level message {fields}` (command-line tools). */
export function lineLog (write: (line: string) => void): Log {
  const at = (level: string) => (obj: object, msg: string): void => write(`${level} ${msg} ${JSON.stringify(obj)}`)
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** collectLog keeps the warnings and errors as text lines (an engine run whose report lists them). */
export function collectLog (lines: string[]): Log {
  return {
    ...silentLog,
    warn: (obj, msg) => lines.push(`${msg} ${JSON.stringify(obj)}`),
    error: (obj, msg) => lines.push(`${msg} ${errorMessage(obj)}`)
  }
}

function errorMessage (obj: object): string {
  const err = (obj as { err?: unknown }).err
  return err instanceof Error ? err.message : ''
}
