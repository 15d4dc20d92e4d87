// Everything the benchmark starts is registered here and stopped in reverse order, on success, on error,
// and on Ctrl-C or SIGTERM: a benchmark must never leave a QuestDB, nats-server or minewatch behind.

type Step = { name: string, run: () => Promise<void> | void }

/** Cleanup is a stack of stop actions that runs at most once. */
export class Cleanup {
  private readonly steps: Step[] = []
  private running: Promise<void> | undefined

  /** add registers a stop action; later additions run first. */
  add (name: string, run: Step['run']): void {
    this.steps.push({ name, run })
  }

  /** run stops everything; a failing step is reported and the others still run. */
  run (): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run()
        } catch (err) {
          console.error(`bench: stopping ${step.name} failed:`, err instanceof Error ? err.message : err)
        }
      }
    })()
    return this.running
  }

  /** onSignals stops everything on SIGINT/SIGTERM, then exits with 128 + signal number. */
  onSignals (): void {
    const handler = (signal: NodeJS.Signals, code: number) => {
      console.error(`\nbench: ${signal}, stopping everything it started…`)
      this.run().finally(() => process.exit(128 + code))
    }
    process.once('SIGINT', () => handler('SIGINT', 2))
    process.once('SIGTERM', () => handler('SIGTERM', 15))
  }
}
