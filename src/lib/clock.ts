// Time is injected everywhere in the engine and the alarm service: production uses the wall clock,
// tests use an RxJS TestScheduler (whose now() is virtual) or a hand-set clock.
import { asyncScheduler, type SchedulerLike } from 'rxjs'

/** Clock tells the current time in epoch milliseconds. */
export interface Clock {
  now: () => number
}

/** systemClock is the wall clock; only the composition root should pass it in. */
export const systemClock: Clock = Object.freeze({ now: () => asyncScheduler.now() })

/** clockOf adapts an RxJS scheduler (real or virtual) to a Clock. */
export function clockOf (scheduler: SchedulerLike): Clock {
  return { now: () => scheduler.now() }
}

/** ManualClock is a clock a test moves by hand. */
export class ManualClock implements Clock {
  constructor (private t = 0) {}
  now (): number { return this.t }
  set (t: number): void { this.t = t }
  advance (ms: number): void { this.t += ms }
}
