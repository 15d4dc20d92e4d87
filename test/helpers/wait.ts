// Bounded polling for integration tests: nothing waits for ever. The default bound (60 s) only catches hangs:
// a poll returns as soon as what it waits for is there, so a slow machine is never a failure.
import { setTimeout as sleep } from 'node:timers/promises'

async function poll<T> (probe: () => Promise<T | undefined>, what: string, timeoutMs: number, everyMs: number, retryErrors: boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    if (retryErrors) {
      try {
        const v = await probe()
        if (v !== undefined) return v
      } catch (err) {
        lastError = err
      }
    } else {
      const v = await probe()
      if (v !== undefined) return v
    }
    if (Date.now() > deadline) {
      const message = `timed out after ${timeoutMs} ms waiting for ${what}`
      throw retryErrors ? new Error(message, { cause: lastError }) : new Error(message)
    }
    await sleep(everyMs)
  }
}

/** until polls `probe` until it returns a value other than undefined, bounded; an error from `probe` ends the wait at once. */
export async function until<T> (probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  return await poll(probe, what, timeoutMs, everyMs, false)
}

/** untilOk is until that also retries when `probe` throws, and gives the last error as the cause of a timeout. */
export async function untilOk<T> (probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  return await poll(probe, what, timeoutMs, everyMs, true)
}
