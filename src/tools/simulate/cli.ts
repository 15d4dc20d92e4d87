// npm run simulate -- --url http://127.0.0.1:8080 --tokens data/tokens.json [--speed N] [--duration S] [--seed N]
//   [--scenario co-leak[,sos…] [--at 10m]]
// Feeds a running minewatch with the simulated fleet (src/tools/simulate/fleet/): registers it, then posts
// clean readings, positioning and video heartbeats until --duration seconds have passed or SIGINT/SIGTERM,
// printing a line per minute. --scenario lays named incidents (src/tools/simulate/scenarios/) over the clean feed,
// starting --at after the simulated start (default 1m); --scenario list prints them.
// With --speed N > 1 simulated time starts in the past and catches up with the clock when the run ends
// (or after an hour of simulated history without --duration), then runs in real time: the server rejects
// readings from the future. While the backfill lags the clock the server sees late data and (correctly)
// may raise no-data alarms for points whose newest reading is older than their silence threshold.
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { parseTokens } from '../../server/auth/tokens.js'
import { buildFleet } from './fleet/index.js'
import { createFeed, feedTokens, type FeedStats } from './feed.js'
import { DEFAULT_SEED } from './signals.js'
import { parseDuration } from '../../lib/duration.js'
import { createScenario, parseScenarioNames, SCENARIOS } from './scenarios/index.js'
import { lineLog, type Log } from '../../lib/log.js'

export const USAGE = 'usage: minewatch simulate [--url http://127.0.0.1:8080] [--tokens data/tokens.json] [--speed N] [--duration S (or 10m, 2h)] [--seed N] ' +
  '[--scenario name[,name…] | list] [--at offset (90s, 10m, 2h; default 1m)]'

/** CliIo is where the CLI writes; tests pass their own. */
export interface CliIo { out: (line: string) => void, err: (line: string) => void }

/** CliArgs are the parsed command line. */
export interface CliArgs {
  url: string
  tokens: string
  speed: number
  durationS: number | undefined
  seed: number
  /** scenario names; ['list'] asks for the list */
  scenarios: string[]
  /** when the scenarios start, ms after the simulated start */
  atMs: number
}

/** parseCliArgs parses argv (without node and the script); throws with the usage on bad input. */
export function parseCliArgs (argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      tokens: { type: 'string', default: 'data/tokens.json' },
      speed: { type: 'string', default: '1' },
      duration: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      scenario: { type: 'string' },
      at: { type: 'string', default: '1m' }
    },
    strict: true
  })
  const speed = Number(values.speed)
  const durationS = values.duration === undefined ? undefined : withUsage('--duration', () => parseDuration(values.duration ?? '', { bare: 's' }) / 1000)
  const seed = Number(values.seed)
  if (!(speed > 0)) throw new Error(`--speed must be a number > 0\n${USAGE}`)
  if (durationS !== undefined && !(durationS > 0)) throw new Error(`--duration must be longer than 0 (a bare number is seconds)\n${USAGE}`)
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`)
  const scenarios = values.scenario === undefined ? [] : values.scenario === 'list' ? ['list'] : withUsage('--scenario', () => parseScenarioNames(values.scenario ?? ''))
  const atMs = withUsage('--at', () => parseDuration(values.at, { bare: 's', what: 'offset' }))
  return { url: values.url, tokens: values.tokens, speed, durationS, seed, scenarios, atMs }
}

function withUsage<T> (option: string, parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    throw new Error(`${option}: ${(err as Error).message}\n${USAGE}`)
  }
}

/** formatStats is the per-minute line. */
export function formatStats (s: FeedStats, last: FeedStats | undefined, at: number): string {
  const d = (k: 'accepted' | 'rejected' | 'unavailable'): number => s[k] - (last?.[k] ?? 0)
  const sim = s.simTime === null ? '-' : new Date(s.simTime).toISOString()
  return `${new Date(at).toISOString()} sim ${sim} posted ${s.accepted} (+${d('accepted')}) rejected ${s.rejected} (+${d('rejected')}) ` +
    `503s ${s.unavailable} (+${d('unavailable')}) failures ${s.failures} pending ${s.pending} inputs ${s.inputs}`
}

function consoleLog (io: CliIo): Log {
  return lineLog((line) => io.err(line))
}

/** main runs the simulator; resolves with the exit code. `signal` aborts the run (SIGINT in the CLI). */
export async function main (argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let args: CliArgs
  try {
    args = parseCliArgs(argv)
  } catch (err) {
    io.err((err as Error).message)
    return 2
  }
  if (args.scenarios[0] === 'list') {
    for (const d of SCENARIOS.values()) io.out(`${d.name.padEnd(22)} ${d.summary}`)
    return 0
  }
  const fleet = buildFleet()
  let tokens
  try {
    tokens = feedTokens(parseTokens(await readFile(args.tokens, 'utf8'), args.tokens), fleet)
  } catch (err) {
    io.err(`cannot read tokens: ${(err as Error).message}`)
    return 2
  }
  if (tokens === undefined) {
    io.err(`${args.tokens} has no admin token and gateway token for every site (${fleet.sites.map((s) => s.code).join(', ')})`)
    return 2
  }
  const now = Date.now()
  const backfillS = args.speed > 1 ? (args.durationS ?? 3600) * (args.speed - 1) : 0
  const startAt = now - backfillS * 1000
  const scenario = args.scenarios.length === 0 ? undefined : createScenario(args.scenarios, { at: startAt + args.atMs, fleet, seed: args.seed })
  const feed = createFeed({ baseUrl: args.url, ...tokens, fleet, seed: args.seed, speed: args.speed, startAt, log: consoleLog(io), ...(scenario === undefined ? {} : { scenario }) })
  try {
    await feed.start()
  } catch (err) {
    io.err(`cannot start the feed: ${(err as Error).message}`)
    await feed.stop()
    return 1
  }
  io.out(`simulating ${fleet.sites.length} sites (${fleet.sites.map((s) => s.code).join(', ')}) at ${args.speed}× against ${args.url}`)
  if (scenario !== undefined) io.out(`scenario ${scenario.name} starts at ${new Date(startAt + args.atMs).toISOString()} (simulated)`)
  let last: FeedStats | undefined
  const report = setInterval(() => {
    const s = feed.stats()
    io.out(formatStats(s, last, Date.now()))
    last = s
  }, 60_000)
  await new Promise<void>((resolve) => {
    const timer = args.durationS === undefined ? undefined : setTimeout(resolve, args.durationS * 1000)
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
  })
  clearInterval(report)
  await feed.stop()
  const s = feed.stats()
  io.out(`done: ${formatStats(s, last, Date.now())}`)
  return s.rejected > 0 ? 1 : 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ac = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => ac.abort())
  const code = await main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }, ac.signal)
  process.exit(code)
}
