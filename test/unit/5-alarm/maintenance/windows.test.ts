// Maintenance windows in the one pure function: a raise inside a window is raised already shelved by it (visible
// as shelved, with the window's id), red only when the window names red, and a rise to red takes a window's
// shelf off when the window does not hold red.
import t from 'tap'
import { transition } from '../../../../src/5-alarm/transition.js'
import { coverFrom, covers, MAINTENANCE_ACTOR, shelfOf, stateOf, type MaintenanceWindow } from '../../../../src/5-alarm/maintenance/windows.js'
import { change, ctx, T0 } from '../fixtures.js'

const MIN = 60_000
const NOW = T0 + 10_000
const win = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 'M1', siteCode: 'SC-IRON', points: ['CO-101'], from: NOW - MIN, until: NOW + 60 * MIN, reason: '传感器标校', by: 'sup1', includeRed: false, createdAt: NOW - 2 * MIN, ...over
})

t.test('maintenance - a window is planned, active, then ended; ending it early ends it', async (t) => {
  const w = win()
  t.equal(stateOf(w, NOW - 2 * MIN), 'planned')
  t.equal(stateOf(w, NOW - MIN), 'active', 'from its start, inclusive')
  t.equal(stateOf(w, NOW + 60 * MIN), 'ended', 'until is exclusive')
  t.equal(stateOf({ ...w, endedAt: NOW }, NOW), 'ended')
})

t.test('maintenance - a window covers its site and named points while active; no points means the whole site', async (t) => {
  t.ok(covers(win(), 'SC-IRON', ['CO-101'], NOW))
  t.ok(covers(win(), 'SC-IRON', ['CH4-1', 'CO-101'], NOW), 'one named point is enough')
  t.notOk(covers(win(), 'SC-IRON', ['CO-102'], NOW), 'another point')
  t.notOk(covers(win(), 'SC-OTHER', ['CO-101'], NOW), 'another site with the same point code')
  t.notOk(covers(win(), 'SC-IRON', ['CO-101'], NOW - 2 * MIN), 'not yet')
  t.ok(covers(win({ points: [] }), 'SC-IRON', ['ANY'], NOW), 'the whole site')
})

t.test('maintenance - the shelf of a window: the system puts it up; red only when the window names red', async (t) => {
  t.same(shelfOf(win(), 'orange'), { until: NOW + 60 * MIN, reason: '检修窗口 M1：传感器标校', by: MAINTENANCE_ACTOR, maintenance: 'M1' })
  t.equal(shelfOf(win(), 'red'), null)
  t.equal(shelfOf(win({ includeRed: true }), 'red'), null, 'naming red is not enough: a second supervisor must approve')
  t.match(shelfOf(win({ includeRed: true, redApprovedBy: 'sup2' }), 'red'), { approvedBy: 'sup2', maintenance: 'M1' }, 'the approver is the second person')
  t.equal(shelfOf(win({ endedAt: NOW + MIN }), 'blue')?.until, NOW + MIN, 'an early end shortens it')
  const cover = coverFrom(() => [win({ id: 'M1' }), win({ id: 'M2', until: NOW + 90 * MIN }), win({ id: 'M3', siteCode: 'X' })])
  t.equal(cover('SC-IRON', ['CO-101'], 'yellow', NOW)?.maintenance, 'M2', 'of two windows, the one ending last')
  t.equal(cover('SC-IRON', ['CO-101'], 'red', NOW), null)
})

t.test('maintenance - transition: a raise inside a window is raised shelved; outside it, not', async (t) => {
  const cover = coverFrom(() => [win()])
  const inside = transition(undefined, change('yellow'), { ...ctx(NOW), cover }) as any
  t.match(inside.record, { transition: 'raised' })
  t.match(inside.alarm.shelf, { maintenance: 'M1', by: MAINTENANCE_ACTOR })
  const red = transition(undefined, change('red'), { ...ctx(NOW), cover }) as any
  t.equal(red.alarm.shelf, null, 'red sounds: the window does not name red')
  const later = transition(undefined, change('yellow'), { ...ctx(NOW + 61 * MIN), cover }) as any
  t.equal(later.alarm.shelf, null, 'after the window')
  const toRed = transition(inside.alarm, change('red'), { ...ctx(NOW + 1000), cover }) as any
  t.match(toRed.record, { transition: 'escalated' })
  t.equal(toRed.alarm.shelf, null, 'a rise to red takes the window\'s shelf off')
  const cleared = transition(toRed.alarm, change(null), ctx(NOW + 2000)) as any
  const again = transition(cleared.alarm, change('yellow'), { ...ctx(NOW + 3000), cover }) as any
  t.match(again.record, { transition: 'raised' })
  t.match(again.alarm.shelf, { maintenance: 'M1' }, 'a re-raise inside the window is held again')
})
