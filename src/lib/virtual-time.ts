// Virtual time for replays and rule tests. RxJS's VirtualAction makes a new action each time a periodic action
// (the engine's no-data interval) reschedules itself, and chains it to the previous one: over days of
// history that chain holds hundreds of thousands of actions, and unsubscribing it overflows the stack.
// ReplayAction reschedules itself instead, as AsyncAction does in real time, so a month of 5 s checks
// costs one action. The scheduler itself is RxJS's VirtualTimeScheduler, given this action class.
import { VirtualAction, VirtualTimeScheduler, type Subscription } from 'rxjs'

type ActionClass = ConstructorParameters<typeof VirtualTimeScheduler>[0]

class ReplayAction<T> extends VirtualAction<T> {
  override schedule (state?: T, delay = 0): Subscription {
    if (this.closed || !Number.isFinite(delay)) return this
    // Leave the queue (if still in it) and enter it again at the new time; VirtualAction then takes the
    // path of a first schedule, since the id is cleared.
    const queue = this.scheduler.actions
    const at = queue.indexOf(this as never)
    if (at >= 0) queue.splice(at, 1)
    this.id = undefined
    return super.schedule(state, delay)
  }
}

/** ReplayScheduler is a virtual-time scheduler that a replay moves forward with advanceTo. */
export interface ReplayScheduler extends VirtualTimeScheduler {}

/** createReplayScheduler makes a virtual-time scheduler whose now() is `start` (epoch ms). */
export function createReplayScheduler (start: number): ReplayScheduler {
  const scheduler = new VirtualTimeScheduler(ReplayAction as unknown as ActionClass, start)
  scheduler.frame = start
  return scheduler
}

/** advanceTo runs every action due up to `t` in time order and leaves now() at `t` (never moves back). */
export function advanceTo (scheduler: ReplayScheduler, t: number): void {
  if (t < scheduler.now()) return
  scheduler.maxFrames = t
  scheduler.flush()
  scheduler.frame = t
}
