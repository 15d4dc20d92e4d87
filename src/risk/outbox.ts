// The risk outbox: changes go to JetStream one at a time, in order, each with Nats-Msg-Id risk:<site>:<seq>,
// and leave only once acknowledged; failures are retried with backoff, so a NATS outage delays risk changes
// but does not reorder them. Unlike alarm transitions, risk is derived state: nothing is persisted for it, a
// full outbox drops its oldest changes (the newer ones of the same site supersede them) and the state is
// rebuilt from the open alarms at start, so this is deliberately simpler than publish/publisher.ts.
import { setTimeout as sleep } from 'node:timers/promises'
import type { JetStreamClient, NatsConnection, NatsError } from 'nats'
import type { Log } from '../alarms/types.js'
import { ensureStream } from '../publish/stream.js'
import { riskSubject, RISK_SUBJECTS } from '../publish/subjects.js'
import { encodeRiskMessage } from './message.js'
import type { RiskMetrics } from './metrics.js'
import type { RiskChange } from './types.js'

/** RiskOutboxOptions configure createRiskOutbox. */
export interface RiskOutboxOptions {
  nc: NatsConnection
  /** JetStream stream capturing minewatch.risk.> (config MINEWATCH_RISK_STREAM) */
  stream: string
  duplicateWindowS: number
  /** messages kept per site subject (config MINEWATCH_RISK_HISTORY_PER_SITE) */
  maxMsgsPerSubject: number
  log: Log
  metrics: RiskMetrics
  /** changes held at most (default 10000); beyond, the oldest is dropped */
  maxPending?: number
  ackTimeoutMs?: number
  retryMinMs?: number
  retryMaxMs?: number
}

/** RiskOutbox is where the risk service hands its changes. */
export interface RiskOutbox {
  enqueue: (change: RiskChange) => void
  pending: () => number
  /** drain waits until the outbox is empty; false when timeoutMs passed first */
  drain: (timeoutMs: number) => Promise<boolean>
  close: () => void
}

/** riskMsgId is the Nats-Msg-Id of a change. */
export function riskMsgId (c: Pick<RiskChange, 'siteCode' | 'seq'>): string {
  return `risk:${c.siteCode}:${c.seq}`
}

interface Entry { subject: string, data: Uint8Array, msgID: string }

/** createRiskOutbox makes sure the risk stream exists, then returns the outbox. */
export async function createRiskOutbox (o: RiskOutboxOptions): Promise<RiskOutbox> {
  const streamOptions = { stream: o.stream, subjects: RISK_SUBJECTS, duplicateWindowS: o.duplicateWindowS, maxMsgsPerSubject: o.maxMsgsPerSubject }
  await ensureStream(o.nc, streamOptions, o.log)
  const js: JetStreamClient = o.nc.jetstream()
  const queue: Entry[] = []
  const idle: Array<() => void> = []
  const stop = new AbortController()
  let running = false
  let failures = 0

  const publishHead = async (e: Entry): Promise<boolean> => {
    try {
      await js.publish(e.subject, e.data, { msgID: e.msgID, timeout: o.ackTimeoutMs ?? 5000 })
      return true
    } catch (err) {
      o.metrics.failures.inc()
      o.log[failures === 0 ? 'warn' : 'debug']({ err, msgID: e.msgID, pending: queue.length }, 'risk publish failed; retrying in order')
      // The stream was deleted under us: put it back before the next attempt.
      if ((err as NatsError).code === '503') await ensureStream(o.nc, streamOptions, o.log).catch(() => {})
      return false
    }
  }

  const pump = async (): Promise<void> => {
    if (running) return
    running = true
    try {
      while (!stop.signal.aborted && queue.length > 0) {
        if (await publishHead(queue[0] as Entry)) {
          queue.shift()
          failures = 0
          o.metrics.published.inc()
          o.metrics.pending.set(queue.length)
        } else {
          const delay = Math.min(o.retryMaxMs ?? 5000, (o.retryMinMs ?? 100) * 2 ** failures++)
          // real time on purpose: it paces retries against NATS, and a virtual-time test waits for the message without moving time
          await sleep(delay, undefined, { signal: stop.signal }).catch(() => {})
        }
      }
    } finally {
      running = false
      if (queue.length === 0) idle.splice(0).forEach((resolve) => resolve())
    }
  }

  return {
    enqueue (change) {
      queue.push({ subject: riskSubject(change.siteCode), data: encodeRiskMessage(change), msgID: riskMsgId(change) })
      if (queue.length > (o.maxPending ?? 10_000)) {
        // The head may be in flight: drop the oldest change that is only waiting.
        const dropped = queue.splice(running ? 1 : 0, 1)[0] as Entry
        o.metrics.dropped.inc()
        o.log.warn({ msgID: dropped.msgID }, 'risk outbox full: oldest change dropped')
      }
      o.metrics.pending.set(queue.length)
      if (!stop.signal.aborted) pump().catch((err: unknown) => o.log.error({ err }, 'risk outbox stopped by a bug'))
    },
    pending: () => queue.length,
    async drain (timeoutMs) {
      if (queue.length === 0) return true
      return await new Promise<boolean>((resolve) => {
        // real time on purpose: it bounds shutdown, when no test moves virtual time any more
        const timer = setTimeout(() => resolve(false), timeoutMs)
        idle.push(() => { clearTimeout(timer); resolve(true) })
      })
    },
    close () { stop.abort() }
  }
}
