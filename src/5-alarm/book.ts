// The in-memory index of alarms. It holds what the live path needs and no more: every open alarm, the latest
// alarm of each condition key (also one closed while its condition still held, so the engine is seeded with
// that level at restart instead of raising a duplicate), and a bounded set of recently closed alarms so an
// action or a read right after a close is answered before QuestDB's WAL has applied the row.
// History lives in QuestDB (5-alarm/persist.ts).
import { levelRank, type Category, type Level } from '../contract/index.js'
import type { Alarm, AlarmTransitionRecord } from './types.js'

/** AlarmFilters select alarms for GET /v1/alarms. */
export interface AlarmFilters {
  /** open: not closed (the default); all: also closed ones (read from QuestDB) */
  state?: 'open' | 'all'
  site?: string
  /** the sites the caller may see; undefined means every site */
  sites?: ReadonlySet<string>
  category?: Category
  level?: Level
  /** only alarms whose last transition is at or after this time (epoch ms) */
  since?: number
  /** at most this many, newest change first */
  limit?: number
}

/** BookOptions bound the memory of the book. */
export interface BookOptions {
  /** how many closed alarms are remembered (ids and their last records) */
  recentClosed?: number
  /** how many of the latest transition records are kept per remembered alarm */
  recordsPerAlarm?: number
}

/** DEFAULT_LIST_LIMIT is the size of an alarm list when the caller names none. */
export const DEFAULT_LIST_LIMIT = 1000

/** matchesFilters tells whether an alarm passes the filters (all but limit). */
export function matchesFilters (a: Alarm, f: AlarmFilters): boolean {
  if ((f.state ?? 'open') === 'open' && a.state === 'closed') return false
  if (f.site !== undefined && a.siteCode !== f.site) return false
  if (f.sites !== undefined && !f.sites.has(a.siteCode)) return false
  if (f.category !== undefined && a.category !== f.category) return false
  if (f.level !== undefined && a.level !== f.level) return false
  return f.since === undefined || a.detectedAt >= f.since
}

/** byRecentChange orders alarms newest change first, then higher level first. */
export function byRecentChange (a: Alarm, b: Alarm): number {
  return (b.detectedAt - a.detectedAt) || (levelRank(b.level) - levelRank(a.level)) || a.alarmId.localeCompare(b.alarmId)
}

/** AlarmBook indexes alarms by id and by condition key. */
export class AlarmBook {
  /** alarms not closed, by id */
  private readonly open = new Map<string, Alarm>()
  /** latest alarm per key: open, or closed while its condition was still active */
  private readonly latest = new Map<string, Alarm>()
  /** recently closed alarms by id, oldest first (insertion order), at most recentClosed */
  private readonly closed = new Map<string, Alarm>()
  /** the last few records of each alarm above, oldest first */
  private readonly records = new Map<string, AlarmTransitionRecord[]>()
  private readonly recentClosed: number
  private readonly recordsPerAlarm: number

  constructor (opts: BookOptions = {}) {
    this.recentClosed = opts.recentClosed ?? 1000
    this.recordsPerAlarm = opts.recordsPerAlarm ?? 16
  }

  /** put stores an alarm after a transition (or as loaded at start), with the record that produced it. */
  put (alarm: Alarm, record?: AlarmTransitionRecord): void {
    if (alarm.state === 'closed') this.rememberClosed(alarm)
    else {
      this.open.set(alarm.alarmId, alarm)
      this.closed.delete(alarm.alarmId)
    }
    this.putLatest(alarm)
    if (record !== undefined) this.keepRecord(record)
  }

  /** get finds an open or recently closed alarm by id. */
  get (alarmId: string): Alarm | undefined {
    return this.open.get(alarmId) ?? this.closed.get(alarmId)
  }

  /** forKey returns the latest alarm of a condition key, if it is open or closed while active. */
  forKey (key: string): Alarm | undefined {
    return this.latest.get(key)
  }

  /** conditionEnded forgets a key whose alarm was closed while active once its condition no longer holds. */
  conditionEnded (key: string): void {
    if (this.latest.get(key)?.state === 'closed') this.latest.delete(key)
  }

  /** recordsOf returns the remembered latest records of an alarm, in seq order. */
  recordsOf (alarmId: string): readonly AlarmTransitionRecord[] {
    return this.records.get(alarmId) ?? []
  }

  /** list returns the open alarms passing the filters, newest change first. */
  list (filters: AlarmFilters = {}): Alarm[] {
    const f: AlarmFilters = { ...filters, state: 'open' }
    const out = [...this.open.values()].filter((a) => matchesFilters(a, f)).sort(byRecentChange)
    return out.slice(0, filters.limit ?? DEFAULT_LIST_LIMIT)
  }

  /** openAlarms iterates the alarms that are not closed. */
  openAlarms (): IterableIterator<Alarm> {
    return this.open.values()
  }

  /** latestPerKey iterates the latest alarm of each key, as the engine's seeds. */
  latestPerKey (): IterableIterator<Alarm> {
    return this.latest.values()
  }

  /** size is the number of open alarms. */
  get size (): number {
    return this.open.size
  }

  // A closed alarm keeps the key only while its condition is active; otherwise the next raise is new anyway.
  private putLatest (alarm: Alarm): void {
    const prev = this.latest.get(alarm.key)
    const sameAlarm = prev?.alarmId === alarm.alarmId
    // At start alarms are loaded oldest first, but never let an older alarm displace a newer one.
    if (prev !== undefined && !sameAlarm && prev.detectedAt > alarm.detectedAt) return
    if (alarm.state === 'closed' && !alarm.active) {
      if (prev === undefined || sameAlarm) this.latest.delete(alarm.key)
      return
    }
    this.latest.set(alarm.key, alarm)
  }

  private rememberClosed (alarm: Alarm): void {
    this.open.delete(alarm.alarmId)
    this.closed.delete(alarm.alarmId)
    this.closed.set(alarm.alarmId, alarm)
    for (const id of this.closed.keys()) {
      if (this.closed.size <= this.recentClosed) break
      this.closed.delete(id)
      this.records.delete(id)
    }
  }

  private keepRecord (record: AlarmTransitionRecord): void {
    if (this.get(record.alarmId) === undefined) return
    const list = (this.records.get(record.alarmId) ?? []).filter((r) => r.seq !== record.seq)
    list.push(record)
    list.sort((a, b) => a.seq - b.seq)
    this.records.set(record.alarmId, list.slice(-this.recordsPerAlarm))
  }
}
