// A sleep that takes its time from an RxJS scheduler, so that code which waits (retry backoffs, polls) is
// driven by virtual time in tests exactly as the engine's timers are, and by the wall clock in production.
import type { SchedulerLike } from 'rxjs'

/**
 * sleep resolves once `scheduler` has let `ms` pass. An abort rejects it at once with the signal's reason
 * and drops the scheduled action, so a virtual-time scheduler keeps no stale wake-up.
 */
export async function sleep (ms: number, scheduler: SchedulerLike, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      action.unsubscribe()
      reject(signal?.reason)
    }
    // a scheduler may run a zero-delay action synchronously, inside schedule(): onAbort must not be added then
    let done = false
    const action = scheduler.schedule(() => {
      done = true
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (!done) signal?.addEventListener('abort', onAbort, { once: true })
  })
}
