// When a link was down (connectivity alarms, raise to clear) and when minewatch was up (its heartbeat).
import t from 'tap'
import { offlineSpans, upSpans } from '../../../src/reports/outages.js'
import type { TransitionRow } from '../../../src/reports/types.js'

const M = 60_000
function row (alarmId: string, seq: number, transition: string, ts: number, state = 'open', active = true): TransitionRow {
  return { alarmId, seq, transition, category: 'fault', level: 'orange', site: 'S', ruleId: 'connectivity.site.no_data', points: [], state, active, disposition: null, ts }
}

t.test('offlineSpans - raise to clear, clipped to the range', async (t) => {
  const range = [0, 100 * M] as const
  t.same(offlineSpans([row('A', 1, 'raised', 10 * M), row('A', 2, 'cleared', 20 * M, 'open', false)], range), [[10 * M, 20 * M]])
  t.same(offlineSpans([row('A', 1, 'raised', -50 * M), row('A', 2, 'cleared', 5 * M, 'open', false)], range), [[0, 5 * M]], 'raised before the range')
  t.same(offlineSpans([row('A', 1, 'raised', 90 * M)], range), [[90 * M, 100 * M]], 'still down at the end')
  t.same(offlineSpans([row('A', 2, 'acknowledged', -5 * M, 'acknowledged')], range), [[0, 100 * M]], 'the state at the start is the latest row before it')
  t.same(offlineSpans([
    row('A', 1, 'raised', 10 * M),
    row('A', 2, 'acknowledged', 12 * M, 'acknowledged'),
    row('A', 3, 'cleared', 20 * M, 'acknowledged', false),
    row('A', 4, 'raised', 30 * M, 'acknowledged'),
    row('A', 5, 'cleared', 35 * M, 'acknowledged', false)
  ], range), [[10 * M, 20 * M], [30 * M, 35 * M]], 'a re-raise is a second outage; an acknowledgment changes nothing')
  t.same(offlineSpans([row('A', 1, 'raised', 10 * M), row('A', 2, 'closed', 15 * M, 'closed')], range), [[10 * M, 15 * M]],
    'closed while still active: no clear is recorded after a close, the span ends at the close')
  t.same(offlineSpans([row('A', 1, 'raised', 10 * M), row('B', 1, 'raised', 15 * M), row('A', 2, 'cleared', 20 * M, 'open', false), row('B', 2, 'cleared', 25 * M, 'open', false)], range),
    [[10 * M, 25 * M]], 'overlapping alarms count once')
})

t.test('upSpans - beats no more than twice the period apart are up; the tail while the next beat is not overdue', async (t) => {
  const P = M
  const beats = (...at: number[]) => at.map((ts) => ({ ts, periodMs: P }))
  const range = [0, 10 * M] as const
  t.same(upSpans(beats(0, M, 3 * M, 6 * M), range, 20 * M), [[0, 3 * M]], '2 min gap up, 3 min gap down, nothing after the last beat at 20 min')
  t.same(upSpans(beats(-M, 9 * M), range, 9 * M + 30_000), [[9 * M, 9 * M + 30_000]], 'the last beat 30 s ago: up until now')
  t.same(upSpans(beats(-M, 0, M), range, 3 * M + 1), [[0, M]], 'the next beat is overdue (more than 2 periods): down since the last one')
  t.same(upSpans(beats(-M, 0), range, 2 * M), [[0, 2 * M]], 'exactly two periods after the last beat: still up')
  t.same(upSpans([{ ts: 0, periodMs: 10 * M }, { ts: 15 * M, periodMs: M }], [0, 30 * M], 15 * M), [[0, 15 * M]], 'each gap judged by the period of the beat before it (15 min ≤ 2 × 10 min)')
  t.same(upSpans([], range, 5 * M), [])
})
