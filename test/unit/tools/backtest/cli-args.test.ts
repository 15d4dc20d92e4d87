// backtest - the command line of `npm run backtest`: times with an offset or epoch ms, a precise message
// for every mistake, and the defaults.
import t from 'tap'
import { parseBacktestArgs } from '../../../../src/tools/cli/backtest.js'

const FROM = '2026-11-20T00:00:00+08:00'
const TO = '2026-11-21T00:00:00+08:00'

t.test('backtest - arguments are read with their defaults', async (t) => {
  t.same(parseBacktestArgs(['--from', FROM, '--to', TO]), {
    from: Date.parse('2026-11-19T16:00:00Z'), to: Date.parse('2026-11-20T16:00:00Z'), format: 'table', warmupMs: 0, compare: true
  })
  t.same(parseBacktestArgs(['--from', '1000', '--to', '2000', '--site', 'SG-XS', '--rules', 'r/', '--format', 'json', '--warmup', '15m', '--no-compare']), {
    from: 1000, to: 2000, site: 'SG-XS', rules: 'r/', format: 'json', warmupMs: 900_000, compare: false
  })
})

t.test('backtest - each argument mistake is named', async (t) => {
  t.equal(parseBacktestArgs(['--to', TO]), '--from is required')
  t.equal(parseBacktestArgs(['--from', FROM]), '--to is required')
  t.equal(parseBacktestArgs(['--from', '2026-11-20T00:00:00', '--to', TO]), '--from "2026-11-20T00:00:00" needs an offset, e.g. 2026-11-20T00:00:00+08:00')
  t.equal(parseBacktestArgs(['--from', FROM, '--to', '2026-13-40T00:00:00Z']), '--to "2026-13-40T00:00:00Z" is not a valid time')
  t.equal(parseBacktestArgs(['--from', TO, '--to', FROM]), '--to must be later than --from')
  t.equal(parseBacktestArgs(['--from', FROM, '--to', TO, '--format', 'csv']), '--format must be table or json, not "csv"')
  t.match(parseBacktestArgs(['--from', FROM, '--to', TO, '--warmup', 'soon']), /^--warmup: invalid duration "soon"/)
  t.match(parseBacktestArgs(['--from', FROM, '--to', TO, '--since', 'x']), /Unknown option '--since'/)
})
