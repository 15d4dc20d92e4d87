// Evidence fixing (issue item 4, docs/evidence.md): when an alarm is raised, a timer on the injected scheduler
// waits until the raise + AFTER + the settle delay, then gathers the record (readings of the alarm's points in
// [raise - BEFORE, raise + AFTER], the rule, the transitions so far, the video references) and appends it to the
// ledger. At start, every raised alarm without a record is scheduled again (one overdue is fixed at once), so a
// restart loses none. One record per alarm, from its first raise.
import type { SchedulerLike, Subscription } from 'rxjs'
import type { Reader } from '../../3-store/types.js'
import { walApplied } from '../../3-store/wal.js'
import type { Clock } from '../../lib/clock.js'
import type { Log } from '../../lib/log.js'
import { toAlarmMessage } from '../../6-publish/message.js'
import { queryReadings } from '../../query/readings.js'
import { queryEvents } from '../../1-ingest/video/query.js'
import type { AlarmService } from '../service.js'
import { ALARM_TABLES } from '../persist.js'
import type { EvidenceRow } from './chain.js'
import type { Ledger } from './ledger.js'
import { dueAt, evidenceBody, ruleDefinition, windowOf, type ReadingEvidence, type RuleEvidence } from './body.js'
import { loadRecord, loadUnfixed } from './store.js'

/** EvidencePolicy is config.evidence. */
export interface EvidencePolicy { beforeMs: number, afterMs: number, settleMs: number }

/** LoadedRule is what the engine has loaded: an id, a version and the rest of the definition. */
export type LoadedRule = { id: string, ruleVersion: string } & Record<string, unknown>

/** EvidenceOptions wire the fixing to the alarms, the rules, storage and time. */
export interface EvidenceOptions {
  alarms: Pick<AlarmService, 'get' | 'transitions$'>
  rules: () => readonly LoadedRule[]
  reader: Reader
  ledger: Ledger
  clock: Clock
  scheduler: SchedulerLike
  policy: EvidencePolicy
  log: Log
  /** how long a fixing that failed (storage down) waits before it is tried again (default 30 s) */
  retryMs?: number
}

/** EvidenceService fixes records and finds them. */
export interface EvidenceService {
  start: () => Promise<void>
  /** record returns an alarm's fixed record, or undefined while it has none */
  record: (alarmId: string) => Promise<EvidenceRow | undefined>
  /** dueAt is when a pending alarm's record will be fixed (undefined: none scheduled) */
  dueAt: (alarmId: string) => number | undefined
  close: () => Promise<void>
}

/** Due is a pending record: when it is due and its timer (or the timer of its next attempt). */
interface Due { at: number, timer: Subscription }

// Far more than a 40-minute window holds at the contract's shortest interval; the cap only bounds memory.
const MAX_ROWS = 1_000_000
// Records fixed by this process are kept here until QuestDB surely shows them (its WAL applies within ms).
const RECENT_KEPT = 1000

/** createEvidence builds the fixing; call start() after the alarm service has started. */
export function createEvidence (o: EvidenceOptions): EvidenceService {
  const due = new Map<string, Due>()
  const recent = new Map<string, EvidenceRow>()
  const working = new Set<Promise<void>>()
  let watching: Subscription | undefined
  let closed = false

  const ruleOf = (id: string, version: string): RuleEvidence => {
    const def = o.rules().find((r) => r.id === id && r.ruleVersion === version)
    return { id, version, definition: def === undefined ? null : ruleDefinition(def) }
  }

  const readingsOf = async (site: string, points: readonly string[], from: number, to: number): Promise<ReadingEvidence[]> => {
    const all: ReadingEvidence[] = []
    for (const point of points) {
      for (const r of await queryReadings(o.reader, site, point, from, to, MAX_ROWS)) all.push({ point, ts: r.ts, value: r.value, status: r.status })
    }
    return all
  }

  const fix = async (alarmId: string, raisedAt: number, captured?: RuleEvidence): Promise<void> => {
    const detail = await o.alarms.get(alarmId)
    const raise = detail.history.find((r) => r.transition === 'raised')?.alarm ?? detail.alarm
    const window = windowOf(raisedAt, o.policy)
    const [readings, events] = await Promise.all([
      readingsOf(raise.siteCode, raise.points, window.from, window.to),
      queryEvents(o.reader, raise.siteCode, window.from, window.to, MAX_ROWS)
    ])
    // read once: the body and the row must name the same instant, or the verifier calls the record broken
    const fixedAt = o.clock.now()
    const body = evidenceBody({
      alarmId,
      site: raise.siteCode,
      points: raise.points,
      title: raise.title,
      category: raise.category,
      raisedAt,
      window,
      settleMs: o.policy.settleMs,
      rule: captured ?? ruleOf(raise.ruleId, raise.ruleVersion),
      transitions: detail.history.map(toAlarmMessage),
      readings,
      attachments: detail.attachments,
      videoEvents: events.map((e) => ({ channel: e.channel, type: e.type, ts: e.ts, confidence: e.confidence, count: e.count, sha256: e.evidence_sha256, url: e.evidence_url })),
      fixedAt
    })
    const row = await o.ledger.append({ alarmId, site: raise.siteCode, fixedAt, body }, raise.ruleId, window)
    recent.set(alarmId, row)
    if (recent.size > RECENT_KEPT) recent.delete(recent.keys().next().value as string)
    o.log.info({ alarmId, seq: row.seq, readings: readings.length }, 'evidence fixed')
  }

  const schedule = (alarmId: string, raisedAt: number, rule?: RuleEvidence): void => {
    if (closed || due.has(alarmId) || recent.has(alarmId)) return
    const at = dueAt(raisedAt, o.policy)
    const run = (): void => {
      const p = fix(alarmId, raisedAt, rule).then(() => { due.delete(alarmId) }, (err: unknown) => {
        if (closed) return
        o.log.error({ err, alarmId }, 'evidence not fixed; trying again later')
        due.set(alarmId, { at, timer: o.scheduler.schedule(run, o.retryMs ?? 30_000) })
      })
      const tracked: Promise<void> = p.finally(() => working.delete(tracked))
      working.add(tracked)
    }
    due.set(alarmId, { at, timer: o.scheduler.schedule(run, Math.max(0, at - o.clock.now())) })
  }

  return {
    async start () {
      // first listen, then look: a raise in between is in both, and schedule() takes it once
      watching = o.alarms.transitions$.subscribe((r) => {
        if (r.transition === 'raised') schedule(r.alarmId, r.detectedAt, ruleOf(r.alarm.ruleId, r.alarm.ruleVersion))
      })
      if (!await walApplied(o.reader, [...ALARM_TABLES], { timeoutMs: 30_000 })) o.log.warn({}, 'QuestDB has not applied all alarm rows yet; an alarm raised just before may be fixed only at the next start')
      const unfixed = await loadUnfixed(o.reader)
      for (const u of unfixed) schedule(u.alarmId, u.raisedAt)
      o.log.info({ pending: due.size }, 'evidence fixing scheduled')
    },
    record: async (alarmId) => recent.get(alarmId) ?? await loadRecord(o.reader, alarmId),
    dueAt: (alarmId) => due.get(alarmId)?.at,
    async close () {
      closed = true
      watching?.unsubscribe()
      for (const d of due.values()) d.timer.unsubscribe()
      due.clear()
      await Promise.all([...working])
    }
  }
}
