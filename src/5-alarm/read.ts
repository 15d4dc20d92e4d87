// The read side of the alarm service: QuestDB has the full history, memory has the freshest state (a row
// is queryable 10-70 ms after its write was acknowledged), so reads merge both, memory winning.
import type { ConditionChange } from '../4-evaluate/types.js'
import type { Reader } from '../3-store/types.js'
import { NotFound } from '../server/errors/catalogue.js'
import type { Alarm, AlarmTransitionRecord } from './types.js'
import { byRecentChange, DEFAULT_LIST_LIMIT, matchesFilters, type AlarmBook, type AlarmFilters } from './book.js'
import { listAlarms, loadHistory } from './persist.js'

/** Evidence is one reading behind a transition. */
export type Evidence = NonNullable<ConditionChange['evidence']>[number]

/** Attachment is a non-reading piece of evidence behind a transition (an AI event's snapshot reference). */
export type Attachment = NonNullable<ConditionChange['attachments']>[number]

/** AlarmDetail is an alarm with its full transition history (seq order) and the evidence of all of them. */
export interface AlarmDetail {
  alarm: Alarm
  history: AlarmTransitionRecord[]
  evidence: Evidence[]
  attachments: Attachment[]
}

/** getAlarm reads one alarm with its history, or throws NotFound. */
export async function getAlarm (reader: Reader, book: AlarmBook, alarmId: string): Promise<AlarmDetail> {
  const history = mergeRecords(await loadHistory(reader, alarmId), book.recordsOf(alarmId))
  const alarm = book.get(alarmId) ?? history.at(-1)?.alarm
  if (alarm === undefined) throw new NotFound(`alarm ${alarmId} not found`)
  return { alarm, history, evidence: collectEvidence(history), attachments: collectAttachments(history) }
}

/** listAll lists alarms in any state from QuestDB, refreshed and completed from memory. */
export async function listAll (reader: Reader, book: AlarmBook, filters: AlarmFilters): Promise<Alarm[]> {
  const f: AlarmFilters = { ...filters, state: 'all' }
  const byId = new Map<string, Alarm>()
  for (const a of await listAlarms(reader, f)) byId.set(a.alarmId, book.get(a.alarmId) ?? a)
  for (const a of book.openAlarms()) byId.set(a.alarmId, a)
  return [...byId.values()].filter((a) => matchesFilters(a, f)).sort(byRecentChange).slice(0, f.limit ?? DEFAULT_LIST_LIMIT)
}

/** mergeRecords unions stored and in-memory records by seq (memory wins, then the later stored row) in seq order. */
export function mergeRecords (stored: readonly AlarmTransitionRecord[], recent: readonly AlarmTransitionRecord[]): AlarmTransitionRecord[] {
  const bySeq = new Map<number, AlarmTransitionRecord>()
  for (const r of stored) bySeq.set(r.seq, r)
  for (const r of recent) bySeq.set(r.seq, r)
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

/** collectEvidence lists the distinct readings behind a history, oldest first. */
export function collectEvidence (history: readonly AlarmTransitionRecord[]): Evidence[] {
  const seen = new Map<string, Evidence>()
  for (const r of history) {
    for (const e of r.evidence ?? []) seen.set(`${e.point}@${e.ts}`, e)
  }
  return [...seen.values()].sort((a, b) => a.ts - b.ts)
}

/** collectAttachments lists the distinct attachments behind a history, oldest first. */
export function collectAttachments (history: readonly AlarmTransitionRecord[]): Attachment[] {
  const seen = new Map<string, Attachment>()
  for (const r of history) {
    for (const a of r.attachments ?? []) seen.set(`${a.channel}@${a.ts}/${a.type}`, a)
  }
  return [...seen.values()].sort((a, b) => a.ts - b.ts)
}
