// The helpers every rule module shares: keys, the point index, the evaluation guard and the common schemas.
import t from 'tap'
import { HealthBook } from '../../../../src/4-evaluate/health.js'
import { guarded } from '../../../../src/4-evaluate/modules/shared/guard.js'
import { conditionKey, splitKey } from '../../../../src/4-evaluate/modules/shared/keys.js'
import { PointIndex, pushAt } from '../../../../src/4-evaluate/modules/shared/point-index.js'
import { DURATION, bandIssues } from '../../../../src/4-evaluate/modules/shared/schema.js'
import { def, row } from '../harness.js'

t.test('module keys - a key reads back into rule, site and subject, a subject with a bar included', async (t) => {
  const key = conditionKey('p.sos', 'U1', 'card:C|7')
  t.equal(key, 'p.sos|U1|card:C|7')
  t.same(splitKey(key), { ruleId: 'p.sos', site: 'U1', subject: 'card:C|7' })
})

t.test('point index - each visits the watched points of a batch in order and nothing else', async (t) => {
  const index = new PointIndex<string[]>()
  pushAt(index, 'S1', 'CO-1', 'a')
  pushAt(index, 'S1', 'CO-1', 'b')
  pushAt(index, 'S2', 'CH4-1', 'c')
  const seen: string[] = []
  index.each([row('S1', 'CO-1', 1, 0), row('S1', 'T-1', 2, 0), row('S2', 'CO-1', 3, 0), row('S2', 'CH4-1', 4, 0), row('S1', 'CO-1', 5, 0)], (list, r) => seen.push(`${r.ts}:${list.join('')}`))
  t.same(seen, ['1:ab', '4:c', '5:ab'])
  t.equal(index.empty, false)
  t.equal(new PointIndex().empty, true)
})

t.test('module guard - a throw is recorded in the rule\'s health; "nothing to evaluate" records nothing', async (t) => {
  const book = new HealthBook()
  const rule = def({ id: 'r', kind: 'frozen', title: 't', category: 'fault', source: 's' } as never)
  const h = book.get(rule)
  const ctx = { now: 7, lateAfterMs: 0, emit: () => {}, stats: { evaluations: 0, outOfOrder: 0, changes: 0 } }
  t.equal(guarded(h, ctx, () => false, { count: true }), false)
  t.match(h, { evaluations: 0, failures: 0, health: 'unknown' })
  t.equal(guarded(h, ctx, () => {}, { count: true }), true)
  t.match(h, { evaluations: 1, health: 'ok' })
  let logged: unknown
  t.equal(guarded(h, ctx, () => { throw new Error('boom') }, { onError: (err) => { logged = err } }), false)
  t.match(h, { evaluations: 2, failures: 1, health: 'err', lastError: 'boom', lastErrorAt: 7 })
  t.match(logged, { message: 'boom' })
  t.equal(ctx.stats.evaluations, 1, 'counted only where asked')
})

t.test('module schemas - a duration is what parseDuration reads, with its unit; bands rise like an upper threshold', async (t) => {
  const re = new RegExp(DURATION.pattern)
  t.same(['30s', '1.5h', '500ms', '7d'].filter((d) => re.test(d)), ['30s', '1.5h', '500ms', '7d'])
  t.same(['10', ' 5m', '5 m', '5min', '-1s'].filter((d) => re.test(d)), [], 'no bare number (ms), no blanks, no other unit')
  t.same(bandIssues({ yellow: { at: 30, release: 24 }, red: { at: 20, release: 10 } }, 'upper', '/levels').map((i) => i.path), ['/levels/red/at'])
  t.same(bandIssues({ yellow: { at: 5, release: 6 } }, 'lower', '/levels'), [])
})
