// The backtest against what happened: the alarms actually raised in the range (alarm_transitions rows
// of transition 'raised', by event time) paired with the raises of the replay, key by key.
import { sqlTimestamp, type Reader } from '../../3-store/types.js'
import type { Level } from '../../contract/index.js'
import { walApplied } from '../../3-store/wal.js'
import type { Raise } from './report.js'
import type { TimeRange } from './types.js'

/** ActualRaise is one 'raised' transition stored in the range. */
export interface ActualRaise extends Raise { alarmId: string }

/** Comparison says how the replay's raises differ from the stored ones. */
export interface Comparison {
  would: number
  actual: number
  /** raises of the replay with no stored raise of the same key near its time */
  new: Raise[]
  /** stored raises the replay does not make */
  gone: ActualRaise[]
  /** how far apart (ms) two raises of one key may be and still be the same */
  toleranceMs: number
}

interface Row { alarm_id: string, alarm_key: string, rule_id: string, site: string, points: string | null, level: string, event_ts: number }

/** readActualRaises reads the alarms raised (and re-raised) with event time in the range. */
export async function readActualRaises (reader: Reader, range: TimeRange): Promise<ActualRaise[]> {
  await walApplied(reader, ['alarm_transitions'])
  const rows = await reader.query<Row>(
    'SELECT alarm_id, alarm_key, rule_id, site, points, level, event_ts FROM alarm_transitions ' +
    `WHERE transition = 'raised' AND event_ts >= ${sqlTimestamp(range.from)} AND event_ts < ${sqlTimestamp(range.to)}` +
    `${range.site === undefined ? '' : ' AND site = $1'} ORDER BY event_ts`, range.site === undefined ? [] : [range.site])
  return rows.map((r) => ({
    alarmId: r.alarm_id,
    key: r.alarm_key,
    ruleId: r.rule_id,
    site: r.site,
    subject: r.points === null || r.points === '' ? r.alarm_key.slice(r.alarm_key.lastIndexOf('|') + 1) : r.points,
    eventTs: r.event_ts,
    level: r.level as Level
  }))
}

/**
 * compareRaises pairs each replayed raise with the nearest unpaired stored raise of the same key within
 * `toleranceMs` (event times differ when the live engine saw the silence from another check tick, or data
 * arrived late); what stays unpaired is new (replay only) or gone (stored only).
 */
export function compareRaises (would: readonly Raise[], actual: readonly ActualRaise[], toleranceMs: number): Comparison {
  const open = new Map<string, ActualRaise[]>()
  for (const a of actual) {
    let list = open.get(a.key)
    if (list === undefined) open.set(a.key, list = [])
    list.push(a)
  }
  const fresh: Raise[] = []
  for (const w of would) {
    const list = open.get(w.key) ?? []
    let best = -1
    for (let i = 0; i < list.length; i++) {
      const d = Math.abs((list[i] as ActualRaise).eventTs - w.eventTs)
      if (d <= toleranceMs && (best < 0 || d < Math.abs((list[best] as ActualRaise).eventTs - w.eventTs))) best = i
    }
    if (best < 0) fresh.push(w)
    else list.splice(best, 1)
  }
  const gone = [...open.values()].flat().sort((a, b) => a.eventTs - b.eventTs)
  return { would: would.length, actual: actual.length, new: fresh, gone, toleranceMs }
}
