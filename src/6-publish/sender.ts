// The outbox's sending loop (the guarantees it keeps are in outbox.ts): a window from the head, or one probe
// while failing; the acknowledged prefix leaves; exponential backoff between failed attempts, in scheduler
// time, cut short by a wake-up (a reconnect) or close; the stream put back before the next attempt when a
// publish found it missing.
import { asyncScheduler, Subscription, type SchedulerLike } from 'rxjs'
import { classifyPublishError } from './failure.js'
import type { Outbox, OutboxHooks, OutboxOptions } from './outbox.js'
import { OutboxQueue } from './queue.js'

/** Sender is the Outbox createOutbox returns. */
export class Sender<R> implements Outbox<R> {
  private readonly queue: OutboxQueue<R>
  private readonly scheduler: SchedulerLike
  private readonly window: number
  private readonly wakeSub: Subscription | undefined
  private running = false
  private closed = false
  /** consecutive failed attempts; > 0 means "probe with the head only" */
  private failures = 0
  private streamMissing = false
  private wake: (() => void) | undefined

  constructor (private readonly o: OutboxOptions<R>) {
    this.scheduler = o.scheduler ?? asyncScheduler
    this.window = Math.max(1, o.window ?? 64)
    this.queue = new OutboxQueue(o.message, this.scheduler, (n) => this.hook('pending', () => o.hooks?.pending?.(n)))
    this.wakeSub = o.wake$?.subscribe(() => this.wake?.())
  }

  enqueue (record: R): void {
    const dropped = this.queue.push(record, this.o.maxPending)
    if (dropped !== undefined) {
      this.hook('dropped', () => this.o.hooks?.dropped?.(dropped.record))
      this.o.log.warn({ msgID: dropped.msgID, pending: this.queue.length }, `${this.o.name} outbox full: oldest waiting record dropped`)
    }
    if (this.closed) {
      this.o.log.warn({ msgID: this.queue.last?.msgID }, `${this.o.name} outbox closed: record left unpublished`)
      return
    }
    // One at a time: sent at once. A window waits one microtask, so that records enqueued together leave
    // together in one window.
    if (this.window === 1) this.start()
    else queueMicrotask(() => this.start())
  }

  pending (): number { return this.queue.length }

  async drain (timeoutMs: number): Promise<boolean> { return await this.queue.drain(timeoutMs) }

  close (): void {
    this.closed = true
    this.wakeSub?.unsubscribe()
    this.wake?.()
  }

  private start (): void {
    this.pump().catch((err: unknown) => this.o.log.error({ err }, `${this.o.name} outbox stopped by a bug`))
  }

  private async pump (): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      while (!this.closed && this.queue.length > 0) {
        if (await this.sendWindow()) this.failures = 0
        else await this.backoff()
      }
    } finally {
      this.running = false
      this.queue.settle()
    }
  }

  // Sends the head of the queue (a window, or one probe while failing) and removes the acknowledged prefix.
  private async sendWindow (): Promise<boolean> {
    if (this.streamMissing && !await this.recreateStream()) return false
    const batch = this.queue.take(this.failures > 0 ? 1 : this.window)
    const timeout = this.o.ackTimeoutMs ?? 5000
    const results = await Promise.allSettled(batch.map((e) => this.o.publish(e.subject, e.data, { msgID: e.msgID, timeout })))
    let acked = 0
    for (const res of results) {
      if (res.status === 'rejected') break
      const { record } = batch[acked++] as { record: R }
      this.hook('acknowledged', () => this.o.hooks?.acknowledged?.(record, res.value))
    }
    this.queue.settleSent(acked)
    const failed = results[acked]
    if (failed === undefined) return true
    this.failed((failed as PromiseRejectedResult).reason)
    return false
  }

  private failed (err: unknown): void {
    const reason = classifyPublishError(err)
    const head = this.queue.head
    if (head !== undefined) this.hook('failed', () => this.o.hooks?.failed?.(reason, err, head.record))
    if (reason === 'no_stream') this.streamMissing = true
    // The first failure of an outage is worth an error (or a warning); the retries that follow only at debug.
    const level = this.failures === 0 ? (this.o.failureLevel ?? 'error') : 'debug'
    this.o.log[level]({ reason, err, msgID: head?.msgID, pending: this.queue.length }, `${this.o.name} publish failed; retrying in order`)
  }

  private async recreateStream (): Promise<boolean> {
    try {
      await this.o.ensureStream()
      this.streamMissing = false
      return true
    } catch (err) {
      this.failed(err)
      return false
    }
  }

  // Exponential backoff, cut short when the connection comes back or the outbox closes.
  private async backoff (): Promise<void> {
    const min = this.o.retryMinMs ?? 100
    const delay = Math.min(this.o.retryMaxMs ?? 5000, min * 2 ** this.failures)
    this.failures++
    if (this.closed) return
    await new Promise<void>((resolve) => {
      const timer = new Subscription()
      const done = (): void => {
        timer.unsubscribe()
        if (this.wake === done) this.wake = undefined
        resolve()
      }
      this.wake = done
      timer.add(this.scheduler.schedule(done, delay))
    })
  }

  private hook (name: keyof OutboxHooks<R>, fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.o.log.error({ err, hook: name }, `${this.o.name} outbox hook failed`)
    }
  }
}
