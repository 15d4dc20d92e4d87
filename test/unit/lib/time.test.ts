import t from 'tap'
import { toEpochMs, toIso } from '../../../src/lib/time.js'
import { parseDuration as parse } from '../../../src/lib/duration.js'

// the reading rule fields and --warmup give a duration: a bare number is milliseconds
const parseDuration = (text: string | number): number => parse(text, { bare: 'ms' })

t.test('time - parses contract timestamps', async (t) => {
  t.equal(toEpochMs(1700000000000), 1700000000000)
  t.equal(toEpochMs('2026-11-21T08:00:20.000+08:00'), Date.UTC(2026, 10, 21, 0, 0, 20))
  t.ok(Number.isNaN(toEpochMs('not a time')))
  t.equal(toIso(0), '1970-01-01T00:00:00.000Z')
})

t.test('time - parses durations', async (t) => {
  t.equal(parseDuration('30s'), 30_000)
  t.equal(parseDuration('5m'), 300_000)
  t.equal(parseDuration('250ms'), 250)
  t.equal(parseDuration(42), 42)
  t.throws(() => parseDuration('soon'), /invalid duration/)
})
