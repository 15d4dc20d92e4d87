// The risk outbox: the one JetStream outbox (6-publish/outbox.ts) given risk changes. They go out one at a time
// (a window of 1), in order, each with Nats-Msg-Id risk:<site>:<seq>, and leave only once acknowledged;
// failures are retried with backoff, so a NATS outage delays risk changes but does not reorder them. Unlike
// alarm transitions, risk is derived state: nothing is persisted for it, a full outbox drops its oldest
// waiting changes (the newer ones of the same site supersede them; the one in flight is kept) and the state is
// rebuilt from the open alarms at start. The metrics are the risk component's own (metrics.ts).
import type { NatsConnection } from 'nats'
import { createJetStreamOutbox } from '../../6-publish/jetstream-outbox.js'
import type { Outbox, OutboxTuning } from '../../6-publish/outbox.js'
import { riskSubject, RISK_SUBJECTS } from '../../6-publish/subjects.js'
import { encodeRiskMessage } from './message.js'
import type { RiskMetrics } from './metrics.js'
import type { RiskChange } from './types.js'
import type { Log } from '../../lib/log.js'

/** RiskOutboxOptions configure createRiskOutbox. */
export interface RiskOutboxOptions extends OutboxTuning {
  nc: NatsConnection
  /** JetStream stream capturing minewatch.risk.> (config MINEWATCH_RISK_STREAM) */
  stream: string
  duplicateWindowS: number
  /** messages kept per site subject (config MINEWATCH_RISK_HISTORY_PER_SITE) */
  maxMsgsPerSubject: number
  log: Log
  metrics: RiskMetrics
  /** changes held at most (default 10000); beyond, the oldest waiting is dropped */
  maxPending?: number
}

/** RiskOutbox is where the risk service hands its changes. */
export type RiskOutbox = Outbox<RiskChange>

/** riskMsgId is the Nats-Msg-Id of a change. */
export function riskMsgId (c: Pick<RiskChange, 'siteCode' | 'seq'>): string {
  return `risk:${c.siteCode}:${c.seq}`
}

/** createRiskOutbox makes sure the risk stream exists, then returns the outbox. */
export async function createRiskOutbox (o: RiskOutboxOptions): Promise<RiskOutbox> {
  const { metrics } = o
  return await createJetStreamOutbox<RiskChange>({
    name: 'risk',
    nc: o.nc,
    stream: { stream: o.stream, subjects: RISK_SUBJECTS, duplicateWindowS: o.duplicateWindowS, maxMsgsPerSubject: o.maxMsgsPerSubject },
    message: (change) => ({ subject: riskSubject(change.siteCode), data: encodeRiskMessage(change), msgID: riskMsgId(change) }),
    hooks: {
      acknowledged: () => metrics.published.inc(),
      failed: () => metrics.failures.inc(),
      dropped: () => metrics.dropped.inc(),
      pending: (n) => metrics.pending.set(n)
    },
    log: o.log,
    // Derived state, rebuilt at start: a failed publish is a warning, not an error as for alarms.
    failureLevel: 'warn',
    window: 1,
    maxPending: o.maxPending ?? 10_000,
    ackTimeoutMs: o.ackTimeoutMs,
    retryMinMs: o.retryMinMs,
    retryMaxMs: o.retryMaxMs,
    scheduler: o.scheduler
  })
}
