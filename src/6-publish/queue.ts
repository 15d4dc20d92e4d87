// The outbox's queue: records in enqueue order with their encoded message, how many at the head are held
// (sent and unanswered, or the head being retried: never dropped), and the waiters of drain.
import { Subscription, type SchedulerLike } from 'rxjs'

/** OutboxMessage is what one record is published as. */
export interface OutboxMessage { subject: string, data: Uint8Array, msgID: string }

/** Entry is a queued record with its message. */
export interface Entry<R> extends OutboxMessage { record: R }

/** OutboxQueue holds what an outbox has not published yet. */
export class OutboxQueue<R> {
  private readonly entries: Array<Entry<R>> = []
  private readonly idle = new Set<() => void>()
  /** records at the head that are in flight or about to be retried */
  private held = 0

  constructor (
    private readonly message: (record: R) => OutboxMessage,
    private readonly scheduler: SchedulerLike,
    private readonly onPending: (n: number) => void
  ) {}

  get length (): number { return this.entries.length }
  get head (): Entry<R> | undefined { return this.entries[0] }
  get last (): Entry<R> | undefined { return this.entries[this.entries.length - 1] }

  /** push appends a record; over `bound`, the oldest record only waiting is removed and returned */
  push (record: R, bound = Infinity): Entry<R> | undefined {
    this.entries.push({ record, ...this.message(record) })
    // The record just pushed is never held, so there always is a waiting one to drop.
    const dropped = this.entries.length > bound ? this.entries.splice(this.held, 1)[0] : undefined
    this.onPending(this.entries.length)
    return dropped
  }

  /** take returns the first n records, now held until settleSent */
  take (n: number): Array<Entry<R>> {
    const batch = this.entries.slice(0, n)
    this.held = batch.length
    return batch
  }

  /** settleSent removes the acknowledged prefix of what take returned; the head stays held when some failed */
  settleSent (acked: number): void {
    const failed = acked < this.held
    this.entries.splice(0, acked)
    this.held = failed ? Math.min(1, this.entries.length) : 0
    this.onPending(this.entries.length)
  }

  /** settle is called when sending stops: nothing is held, and drain's waiters learn if the queue is empty */
  settle (): void {
    this.held = 0
    if (this.entries.length > 0) return
    const waiters = [...this.idle]
    this.idle.clear()
    waiters.forEach((resolve) => resolve())
  }

  /** drain resolves true once the queue is empty, false when timeoutMs passed first (scheduler time) */
  async drain (timeoutMs: number): Promise<boolean> {
    if (this.entries.length === 0) return true
    return await new Promise<boolean>((resolve) => {
      const timer = new Subscription()
      const done = (): void => { timer.unsubscribe(); resolve(true) }
      this.idle.add(done)
      timer.add(this.scheduler.schedule(() => { this.idle.delete(done); resolve(false) }, timeoutMs))
    })
  }
}
