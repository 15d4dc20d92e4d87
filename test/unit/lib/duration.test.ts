// The one duration parser: the forms every caller writes, what a bare number means for each, the errors it
// gives, and the schema patterns that must never let through a text the parser would refuse.
import t from 'tap'
import { ANY_DURATION_PATTERN, COMPOUND_DURATION_PATTERN, DURATION_PATTERN, formatDuration, parseDuration, type BareNumber } from '../../../src/lib/duration.js'

const MS = { bare: 'ms' } as const

t.test('duration - units, decimals, compounds and blanks', async (t) => {
  const table: Array<[string, number]> = [
    ['0s', 0], ['500ms', 500], ['30s', 30_000], ['5m', 300_000], ['2h', 7_200_000], ['7d', 604_800_000],
    ['1.5h', 5_400_000], ['0.5s', 500], ['1h30m', 5_400_000], ['1m30s', 90_000], ['1m20s', 80_000], ['1h5m', 3_900_000],
    ['1d2h', 93_600_000], ['10m5ms', 600_005], ['1s500ms', 1500], [' 5m ', 300_000], ['1.0004s', 1000]
  ]
  for (const [text, ms] of table) t.equal(parseDuration(text, MS), ms, text)
})

t.test('duration - a bare number is what the caller says, the same for text and numbers', async (t) => {
  const cases: Array<[BareNumber, string | number, number]> = [['ms', '42', 42], ['ms', 42, 42], ['s', '90', 90_000], ['s', 1.5, 1500], ['s', ' 90 ', 90_000]]
  for (const [bare, text, ms] of cases) t.equal(parseDuration(text, { bare }), ms, `${String(text)} as ${bare}`)
  t.throws(() => parseDuration('10', { bare: 'reject' }), { message: 'duration "10" needs a unit (ms, s, m, h, d)' })
  t.throws(() => parseDuration(10, { bare: 'reject', what: 'every' }), { message: 'every "10" needs a unit (ms, s, m, h, d)' })
  t.equal(parseDuration('10s', { bare: 'reject' }), 10_000, 'a unit is always fine')
})

t.test('duration - refusals say what is wrong', async (t) => {
  for (const text of ['', ' ', 'soon', '-5m', '5 m', '5min', '1e3s', 'h', '1.s', '.5s', '1,5h', '5mm']) {
    t.throws(() => parseDuration(text, MS), { message: `invalid duration "${text}" (use e.g. 30s, 5m, 2h)` }, JSON.stringify(text))
  }
  t.throws(() => parseDuration('noon', { bare: 's', what: 'offset' }), { message: 'offset "noon" is not a duration (use e.g. 30s, 5m, 2h)' })
  for (const text of ['30m1h', '1h1h', '5ms1s']) {
    t.throws(() => parseDuration(text, MS), { message: `invalid duration "${text}" (units go from the largest to the smallest, each once, e.g. 1h30m)` })
  }
  t.throws(() => parseDuration(`${'9'.repeat(400)}d`, MS), { message: /\(too long\)$/ })
  t.throws(() => parseDuration(Number.MAX_SAFE_INTEGER * 2, MS), { message: /\(too long\)$/ })
})

t.test('duration - renders the way rule tests write it', async (t) => {
  t.same([0, 1500, 20_000, 80_000, 3_900_000, 90_000_000].map(formatDuration), ['0s', '1500ms', '20s', '1m20s', '1h5m', '25h'])
  for (const ms of [0, 1, 999, 1000, 61_000, 3_600_000, 3_661_001]) t.equal(parseDuration(formatDuration(ms), { bare: 'reject' }), ms, `${ms} round-trips`)
})

// Each schema pattern is a subset of what the parser reads (with the bare meaning its caller passes), so a
// schema-valid value never fails later; ANY_DURATION_PATTERN is exactly what it reads.
t.test('duration - the schema patterns agree with the parser', async (t) => {
  const samples = ['0s', '500ms', '30s', '1.5h', '7d', '1h30m', '1m30s', '1d2h', '10m5ms', '42', '1.5', ' 5m ', ' 42 ', '',
    'soon', '-5m', '5 m', '5min', '30m1h', '1h1h', '1.5h30m', '5m5m', '1e3', '.5s', '5mm', '1hms']
  const parses = (s: string): boolean => { try { parseDuration(s, MS); return true } catch { return false } }
  const any = new RegExp(ANY_DURATION_PATTERN, 'u')
  for (const s of samples) t.equal(any.test(s), parses(s), `any ${JSON.stringify(s)}`)
  const single = new RegExp(DURATION_PATTERN, 'u')
  const compound = new RegExp(COMPOUND_DURATION_PATTERN, 'u')
  for (const s of samples.filter((x) => single.test(x) || compound.test(x))) t.doesNotThrow(() => parseDuration(s, { bare: 'reject' }), s)
  t.same(samples.filter((s) => single.test(s)), ['0s', '500ms', '30s', '1.5h', '7d'], 'rule files: one number, one unit')
  t.same(samples.filter((s) => compound.test(s)), ['0s', '500ms', '30s', '1h30m', '1m30s', '10m5ms'], 'rule tests: whole h, m, s, ms')
})
