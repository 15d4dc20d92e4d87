import t from 'tap'
import { formatStats, main, parseCliArgs } from '../../../../src/tools/simulate/cli.js'

t.test('simulate - cli arguments', async (t) => {
  t.same(parseCliArgs([]), { url: 'http://127.0.0.1:8080', tokens: 'data/tokens.json', speed: 1, durationS: undefined, seed: 20261121, scenarios: [], atMs: 60_000 })
  t.same(parseCliArgs(['--url', 'http://h:1', '--tokens', 't.yaml', '--speed', '60', '--duration', '30', '--seed', '7', '--scenario', 'co-leak,sos', '--at', '2h']),
    { url: 'http://h:1', tokens: 't.yaml', speed: 60, durationS: 30, seed: 7, scenarios: ['co-leak', 'sos'], atMs: 7_200_000 })
  t.same(parseCliArgs(['--scenario', 'list']).scenarios, ['list'])
  t.throws(() => parseCliArgs(['--scenario', 'co-leak,meteor']), /--scenario: unknown scenario "meteor"; known: co-leak, fan-stop/)
  t.throws(() => parseCliArgs(['--at', 'noon']), /--at: offset "noon" is not a duration/)
  t.throws(() => parseCliArgs(['--speed', '0']), /--speed/)
  t.throws(() => parseCliArgs(['--duration', 'soon']), /--duration/)
  t.throws(() => parseCliArgs(['--bogus']))
})

t.test('simulate - cli per-minute line and bad input', async (t) => {
  const s = { ticks: 60, batches: 12, accepted: 900, rejected: 0, unavailable: 2, failures: 0, dropped: 0, pending: 5, inputs: 4, simTime: Date.parse('2026-11-21T00:01:00Z') }
  t.equal(formatStats(s, { ...s, accepted: 700, unavailable: 1 }, Date.parse('2026-11-21T00:01:00.500Z')),
    '2026-11-21T00:01:00.500Z sim 2026-11-21T00:01:00.000Z posted 900 (+200) rejected 0 (+0) 503s 2 (+1) failures 0 pending 5 inputs 4')
  const lines: string[] = []
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`err ${l}`) }
  t.equal(await main(['--speed', '-1'], io), 2)
  t.equal(await main(['--tokens', '/nonexistent/tokens.json'], io), 2)
  t.match(lines.at(-1), /^err cannot read tokens: /)
  lines.length = 0
  t.equal(await main(['--scenario', 'list'], io), 0)
  t.equal(lines.length, 10, 'one line per scenario')
  t.match(lines[0], /^co-leak +CO at SG-XS\/CO-005 ramps to 185 ppm/)
})

t.test('simulate - --duration and --at read durations the one way: a bare number is seconds', async (t) => {
  t.match(parseCliArgs(['--duration', '10m', '--at', '1h30m']), { durationS: 600, atMs: 5_400_000 })
  t.match(parseCliArgs(['--duration', '90', '--at', '90']), { durationS: 90, atMs: 90_000 })
  t.throws(() => parseCliArgs(['--duration', '0s']), /--duration must be longer than 0/)
})
