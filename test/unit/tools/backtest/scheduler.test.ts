// backtest - the replay scheduler: virtual time that starts at the range, runs due actions in order, and
// keeps one action for a periodic check however long the range (RxJS's VirtualAction chains one per tick).
import t from 'tap'
import { interval } from 'rxjs'
import { advanceTo, createReplayScheduler } from '../../../../src/tools/backtest/index.js'

const START = Date.parse('2026-11-20T00:00:00+08:00')

t.test('backtest - the replay scheduler starts at the given time and runs actions at their virtual times', async (t) => {
  const s = createReplayScheduler(START)
  t.equal(s.now(), START)
  const ran: Array<[string, number]> = []
  s.schedule(() => ran.push(['b', s.now()]), 2000)
  s.schedule(() => ran.push(['a', s.now()]), 1000)
  advanceTo(s, START + 1500)
  t.same(ran, [['a', START + 1000]], 'only what is due')
  t.equal(s.now(), START + 1500, 'now is the time advanced to')
  advanceTo(s, START + 100)
  t.equal(s.now(), START + 1500, 'time never moves back')
  advanceTo(s, START + 2000)
  t.same(ran, [['a', START + 1000], ['b', START + 2000]], 'an action due exactly at the target runs')
})

t.test('backtest - a month of 5 s periodic checks runs every tick on one action and unsubscribes cleanly', async (t) => {
  const s = createReplayScheduler(START)
  const ticks: number[] = []
  const sub = interval(5000, s).subscribe(() => ticks.push(s.now()))
  const end = START + 30 * 86_400_000
  for (let at = START; at <= end; at += 3_600_000) advanceTo(s, at)
  t.equal(ticks.length, 30 * 86_400_000 / 5000, 'one tick per 5 s')
  t.same(ticks.slice(0, 2), [START + 5000, START + 10_000])
  t.equal(ticks.at(-1), end)
  t.equal(s.actions.length, 1, 'the periodic action is rescheduled, not chained')
  t.doesNotThrow(() => sub.unsubscribe(), 'no stack overflow on unsubscribe')
  t.equal(s.actions.length, 0, 'nothing left queued')
})
