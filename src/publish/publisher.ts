// The ordered outbox between the alarm service and JetStream. Records are published in the order they were
// enqueued, each with Nats-Msg-Id `${alarmId}:${seq}`, and leave the outbox only once JetStream acknowledged
// them: while NATS is down the outbox holds them and retries with backoff. None is lost, none is doubled:
// a record sent twice (an ack lost in a disconnect, a republish after a restart) is dropped by JetStream's
// duplicate window.
//
// Order with pipelining: a window of records is sent back to back on the one connection, so the server stores
// them in that order. When one fails, the acknowledged prefix leaves the outbox and everything from the failed
// one on is resent, in order: the ones the server had in fact stored come back as duplicates, the rest are
// stored after them. While failing, only the head is sent (a probe), so an outage does not pile copies into
// the client's reconnect buffer.
import { setTimeout as sleep } from 'node:timers/promises'
import { Events, type JetStreamClient, type NatsConnection, type NatsError, type PubAck, type Status } from 'nats'
import type { AlarmTransitionRecord, Log } from '../alarms/types.js'
import type { Clock } from '../lib/clock.js'
import type { PublishFailureReason, PublishMetrics } from './metrics.js'
import { alarmSubject, ALARM_SUBJECTS } from './subjects.js'
import { encodeAlarmMessage } from './message.js'
import { ensureStream } from './stream.js'

/** PublisherOptions configure createPublisher. */
export interface PublisherOptions {
  nc: NatsConnection
  /** JetStream stream name (config MINEWATCH_ALARM_STREAM) */
  stream: string
  /** subjects the stream captures; defaults to minewatch.alarm.> */
  subjects?: string
  /** JetStream duplicate window in seconds (config MINEWATCH_DUPLICATE_WINDOW_S) */
  duplicateWindowS: number
  /** called after each acknowledgement, in order; a returned promise's rejection is logged, not retried */
  onPublished?: (record: AlarmTransitionRecord) => unknown
  log: Log
  metrics: PublishMetrics
  clock: Clock
  /** records in flight at once (default 64) */
  window?: number
  /** how long to wait for each acknowledgement (default 5000 ms) */
  ackTimeoutMs?: number
  /** retry backoff bounds (defaults 100 ms and 5000 ms) */
  retryMinMs?: number
  retryMaxMs?: number
}

/** Publisher is the outbox the alarm service hands transitions to. */
export interface Publisher {
  /** enqueue appends a persisted transition; it is published after everything enqueued before it */
  enqueue: (record: AlarmTransitionRecord) => void
  /** pending counts the records not yet acknowledged (in flight included) */
  pending: () => number
  /** drain waits until the outbox is empty; false when timeoutMs passed first */
  drain: (timeoutMs: number) => Promise<boolean>
  /** close stops publishing; records still pending stay unpublished (the service republishes them at start) */
  close: () => void
}

interface Entry { record: AlarmTransitionRecord, subject: string, data: Uint8Array, msgID: string }

/** createPublisher makes sure the alarm stream exists, then returns the outbox. */
export async function createPublisher (opts: PublisherOptions): Promise<Publisher> {
  const subjects = opts.subjects ?? ALARM_SUBJECTS
  await ensureStream(opts.nc, { stream: opts.stream, subjects, duplicateWindowS: opts.duplicateWindowS }, opts.log)
  return new Outbox(opts, subjects)
}

/** msgIdOf is the Nats-Msg-Id of a transition: stable across republishes. */
export function msgIdOf (record: Pick<AlarmTransitionRecord, 'alarmId' | 'seq'>): string {
  return `${record.alarmId}:${record.seq}`
}

class Outbox implements Publisher {
  private readonly js: JetStreamClient
  private readonly queue: Entry[] = []
  private readonly idle: Array<() => void> = []
  private readonly status: AsyncIterable<Status> & { stop?: () => void }
  private running = false
  private closed = false
  /** consecutive failed attempts; > 0 means "probe with the head only" */
  private failures = 0
  private streamMissing = false
  private wake: AbortController | undefined

  constructor (private readonly o: PublisherOptions, private readonly subjects: string) {
    this.js = o.nc.jetstream()
    // nats.js returns a QueuedIterator (with stop()) typed as a plain AsyncIterable.
    this.status = o.nc.status()
    this.watchStatus().catch(() => {}) // the status stream only ends when the connection closes
  }

  enqueue (record: AlarmTransitionRecord): void {
    const a = record.alarm
    const entry = { record, subject: alarmSubject(a.siteCode, a.category, a.level), data: encodeAlarmMessage(record), msgID: msgIdOf(record) }
    this.queue.push(entry)
    this.o.metrics.pending.set(this.queue.length)
    if (this.closed) this.o.log.warn({ alarmId: record.alarmId, seq: record.seq }, 'publisher closed: transition left for the republish at start')
    // Started on the next microtask, so that records enqueued together leave together in one window.
    else queueMicrotask(() => { this.pump().catch((err: unknown) => this.o.log.error({ err }, 'alarm outbox stopped by a bug')) })
  }

  pending (): number { return this.queue.length }

  async drain (timeoutMs: number): Promise<boolean> {
    if (this.queue.length === 0) return true
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      this.idle.push(() => { clearTimeout(timer); resolve(true) })
    })
  }

  close (): void {
    this.closed = true
    this.status.stop?.()
    this.wake?.abort()
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
      if (this.queue.length === 0) this.idle.splice(0).forEach((resolve) => resolve())
    }
  }

  // Sends the head of the queue (a window, or one probe while failing) and removes the acknowledged prefix.
  private async sendWindow (): Promise<boolean> {
    if (this.streamMissing && !await this.recreateStream()) return false
    const batch = this.queue.slice(0, this.failures > 0 ? 1 : (this.o.window ?? 64))
    const timeout = this.o.ackTimeoutMs ?? 5000
    const results = await Promise.allSettled(batch.map((e) => this.js.publish(e.subject, e.data, { msgID: e.msgID, timeout })))
    let acked = 0
    for (const res of results) {
      if (res.status === 'rejected') break
      this.acknowledged(batch[acked] as Entry, res.value)
      acked++
    }
    this.queue.splice(0, acked)
    this.o.metrics.pending.set(this.queue.length)
    const failed = results[acked]
    if (failed === undefined) return true
    this.failed((failed as PromiseRejectedResult).reason, batch[acked] as Entry)
    return false
  }

  private acknowledged (e: Entry, ack: PubAck): void {
    const { record } = e
    const a = record.alarm
    this.o.metrics.published.inc({ category: a.category, level: a.level, transition: record.transition })
    if (ack.duplicate) this.o.metrics.duplicates.inc()
    if (record.receivedAt !== undefined) {
      this.o.metrics.ingestToPublish.observe(Math.max(0, this.o.clock.now() - record.receivedAt) / 1000)
    }
    if (this.o.onPublished === undefined) return
    try {
      Promise.resolve(this.o.onPublished(record)).catch((err: unknown) => this.onPublishedFailed(record, err))
    } catch (err) {
      this.onPublishedFailed(record, err)
    }
  }

  private onPublishedFailed (record: AlarmTransitionRecord, err: unknown): void {
    // Harmless beyond a republish at the next start, which JetStream drops as a duplicate.
    this.o.log.warn({ alarmId: record.alarmId, seq: record.seq, err }, 'could not record a published alarm transition')
  }

  private failed (err: unknown, head: Entry): void {
    const reason = classify(err)
    this.o.metrics.failures.inc({ reason })
    if (reason === 'no_stream') this.streamMissing = true
    // The first failure of an outage is worth an error; the retries that follow only at debug.
    const level = this.failures === 0 ? 'error' : 'debug'
    this.o.log[level]({ reason, err, msgID: head.msgID, pending: this.queue.length }, 'alarm publish failed; retrying in order')
  }

  private async recreateStream (): Promise<boolean> {
    try {
      await ensureStream(this.o.nc, { stream: this.o.stream, subjects: this.subjects, duplicateWindowS: this.o.duplicateWindowS }, this.o.log)
      this.streamMissing = false
      return true
    } catch (err) {
      this.failed(err, this.queue[0] as Entry)
      return false
    }
  }

  // Exponential backoff, cut short when the connection comes back or the publisher closes.
  private async backoff (): Promise<void> {
    const min = this.o.retryMinMs ?? 100
    const delay = Math.min(this.o.retryMaxMs ?? 5000, min * 2 ** this.failures)
    this.failures++
    this.wake = new AbortController()
    await sleep(delay, undefined, { signal: this.wake.signal }).catch(() => {})
    this.wake = undefined
  }

  private async watchStatus (): Promise<void> {
    for await (const s of this.status) {
      if (s.type === Events.Reconnect) this.wake?.abort()
    }
  }
}

function classify (err: unknown): PublishFailureReason {
  const code = (err as NatsError | undefined)?.code
  if (code === 'TIMEOUT') return 'timeout'
  if (code === '503') return 'no_stream'
  if (code === 'DISCONNECT' || code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING') return 'disconnected'
  return 'other'
}
