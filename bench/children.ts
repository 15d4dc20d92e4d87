// Runs a bench script (load generator, raw client) as a separate Node process with tsx, listening to its
// IPC messages until the one that ends its run.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** ScriptRun is a running script: its pid, its final message, and a kill switch for cleanup. */
export interface ScriptRun<T> { pid: number, result: Promise<T>, kill: () => void }

/** runScript forks bench/<name>.ts; `isFinal` recognises the message that carries the result. */
export function runScript<T> (
  name: string,
  env: Record<string, string>,
  isFinal: (m: unknown) => m is T,
  onMessage: (m: unknown) => void = () => {}
): ScriptRun<T> {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url))
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const result = new Promise<T>((resolve, reject) => {
    let final: T | undefined
    child.on('message', (m: unknown) => {
      if (isFinal(m)) {
        final = m
        // Closing the channel lets the child exit on its own once its last request is done.
        child.disconnect()
      } else {
        onMessage(m)
      }
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (final !== undefined) resolve(final)
      else reject(new Error(`bench/${name}.ts exited (${signal ?? code}) without a result`))
    })
  })
  return {
    pid: child.pid as number,
    result,
    kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') }
  }
}
