// The one ordered outbox between a component and JetStream, generic over the record it publishes (alarm
// transitions, risk changes, and every later publisher). Records are published in the order they were
// enqueued, each with a Nats-Msg-Id that is stable across republishes, and leave the outbox only once JetStream
// acknowledged them: while NATS is down the outbox holds them and retries with backoff. None is lost (unless a
// bound drops it, below), none is doubled: a record sent twice (an ack lost in a disconnect, a republish after
// a restart) is dropped by JetStream's duplicate window.
//
// Order with pipelining: a window of records is sent back to back on the one connection, so the server stores
// them in that order. When one fails, the acknowledged prefix leaves the outbox and everything from the failed
// one on is resent, in order: the ones the server had in fact stored come back as duplicates, the rest are
// stored after them. While failing, only the head is sent (a probe), so an outage does not pile copies into
// the client's reconnect buffer. A window of 1 sends one record at a time.
//
// A bound (maxPending) drops the oldest record that is only waiting, never one in flight or the head being
// retried (it may already be stored: dropping it would leave a gap before a record the server has). Only for
// derived state, where a newer record supersedes an older one; without a bound nothing is ever dropped.
//
// The outbox knows no metrics: each component counts in its own hooks, with its own bounded labels. Backoff
// sleeps and drain timeouts take their time from an RxJS scheduler, so tests can run them in virtual time.
import type { Observable, SchedulerLike } from 'rxjs'
import type { PubAck } from 'nats'
import type { PublishFailureReason } from './failure.js'
import type { OutboxMessage } from './queue.js'
import { Sender } from './sender.js'
import type { Log } from '../lib/log.js'

export type { OutboxMessage } from './queue.js'

/** PublishFn is the JetStream publish seam (JetStreamClient.publish in production). */
export type PublishFn = (subject: string, data: Uint8Array, opts: { msgID: string, timeout: number }) => Promise<PubAck>

/** OutboxHooks let the component that owns the outbox keep its own metrics; a hook that throws is logged. */
export interface OutboxHooks<R> {
  /** a record was acknowledged (ack.duplicate: JetStream had it already); called in order */
  acknowledged?: (record: R, ack: PubAck) => void
  /** an attempt failed and will be retried; `record` is the head that failed */
  failed?: (reason: PublishFailureReason, err: unknown, record: R) => void
  /** a waiting record was dropped because the outbox was over its bound */
  dropped?: (record: R) => void
  /** the number of records not yet acknowledged changed */
  pending?: (n: number) => void
}

/** OutboxOptions configure createOutbox. */
export interface OutboxOptions<R> {
  /** what is published, for the logs ("alarm", "risk") */
  name: string
  /** how a record is published: subject, body and Nats-Msg-Id (computed once, at enqueue) */
  message: (record: R) => OutboxMessage
  publish: PublishFn
  /** puts the stream back after a publish found it missing (503), before the next attempt */
  ensureStream: () => Promise<void>
  /** each emission cuts a backoff short (NATS reconnected) */
  wake$?: Observable<unknown>
  hooks?: OutboxHooks<R>
  log: Log
  /** level of the first failure of an outage (default error); the retries that follow log at debug */
  failureLevel?: 'error' | 'warn'
  /** records in flight at once (default 64); 1 sends one at a time, at once on enqueue */
  window?: number
  /** records held at most (default: no bound); beyond it, the oldest waiting record is dropped */
  maxPending?: number
  /** how long to wait for each acknowledgement (default 5000 ms) */
  ackTimeoutMs?: number
  /** retry backoff bounds (defaults 100 ms and 5000 ms) */
  retryMinMs?: number
  retryMaxMs?: number
  /** where backoff sleeps and drain timeouts take their time (default asyncScheduler) */
  scheduler?: SchedulerLike
}

/** OutboxTuning are the options a component passes through from its own configuration. */
export type OutboxTuning = Pick<OutboxOptions<unknown>, 'ackTimeoutMs' | 'retryMinMs' | 'retryMaxMs' | 'scheduler'>

/** Outbox is what a component hands its records to. */
export interface Outbox<R> {
  /** enqueue appends a record; it is published after everything enqueued before it */
  enqueue: (record: R) => void
  /** pending counts the records not yet acknowledged (in flight included) */
  pending: () => number
  /** drain waits until the outbox is empty; false when timeoutMs passed first */
  drain: (timeoutMs: number) => Promise<boolean>
  /** close stops publishing and cuts a backoff short; records still pending stay unpublished */
  close: () => void
}

/** createOutbox returns an outbox publishing through `o.publish`; the stream must exist already. */
export function createOutbox<R> (o: OutboxOptions<R>): Outbox<R> {
  return new Sender(o)
}
