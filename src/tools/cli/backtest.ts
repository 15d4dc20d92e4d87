// `npm run backtest -- --from <time> --to <time> [--site SG-XS] [--rules rules/] [--format table|json]
// [--warmup 15m] [--no-compare]`: replay the history stored in QuestDB (QDB_PG) through a rule set and
// list the alarms it would have raised, with a count per rule and the difference from the alarms
// actually raised. Times are RFC 3339 with an offset (2026-11-20T00:00:00+08:00) or epoch ms; [from, to).
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { formatJson, formatTable, questDbHistory, readActualRaises, runBacktest } from '../backtest/index.js'
import { loadConfig, type Config } from '../../server/config/load.js'
import { loadRules } from '../../4-evaluate/load-rules.js'
import { parseDuration } from '../../lib/duration.js'
import { toEpochMs } from '../../lib/time.js'
import { createReader } from '../../3-store/reader.js'
import { formatError, type Output } from './rules-check.js'

export const USAGE = 'usage: minewatch backtest --from <time> --to <time> [--site <code>] [--rules <dir>] [--format table|json] [--warmup <duration>] [--no-compare]\n' +
  '  <time>: RFC 3339 with an offset (2026-11-20T00:00:00+08:00) or epoch milliseconds'

/** BacktestArgs are the command line, checked. */
export interface BacktestArgs {
  from: number
  to: number
  site?: string
  rules?: string
  format: 'table' | 'json'
  warmupMs: number
  compare: boolean
}

/** parseBacktestArgs reads the command line; a string is the usage error to print. */
export function parseBacktestArgs (argv: readonly string[]): BacktestArgs | string {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        site: { type: 'string' },
        rules: { type: 'string' },
        format: { type: 'string', default: 'table' },
        warmup: { type: 'string', default: '0s' },
        'no-compare': { type: 'boolean', default: false }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (err) {
    return (err as Error).message
  }
  const from = timeArg(values.from, 'from')
  const to = timeArg(values.to, 'to')
  if (typeof from === 'string') return from
  if (typeof to === 'string') return to
  if (to <= from) return '--to must be later than --from'
  if (values.format !== 'table' && values.format !== 'json') return `--format must be table or json, not "${String(values.format)}"`
  let warmupMs: number
  try {
    warmupMs = parseDuration(String(values.warmup), { bare: 'ms' })
  } catch (err) {
    return `--warmup: ${(err as Error).message}`
  }
  return {
    from,
    to,
    format: values.format,
    warmupMs,
    compare: values['no-compare'] !== true,
    ...(typeof values.site === 'string' ? { site: values.site } : {}),
    ...(typeof values.rules === 'string' ? { rules: values.rules } : {})
  }
}

// A time without an offset would be read in the machine's zone: refuse it rather than guess.
function timeArg (text: string | boolean | undefined, name: string): number | string {
  if (typeof text !== 'string') return `--${name} is required`
  if (/^\d+$/.test(text)) return Number(text)
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(text)) return `--${name} "${text}" needs an offset, e.g. 2026-11-20T00:00:00+08:00`
  const ms = toEpochMs(text)
  return Number.isNaN(ms) ? `--${name} "${text}" is not a valid time` : ms
}

/** main runs the backtest and returns the exit code: 0 done, 1 rule files or QuestDB failed, 2 usage. */
export async function main (argv: readonly string[], io: Output): Promise<number> {
  const args = parseBacktestArgs(argv)
  if (typeof args === 'string') {
    io.err(args)
    io.err(USAGE)
    return 2
  }
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    io.err((err as Error).message)
    return 2
  }
  if (config.questdb.pg === undefined) {
    io.err('QDB_PG is not set: point it at QuestDB\'s PG wire, e.g. postgres://admin:quest@127.0.0.1:8812/qdb')
    return 2
  }
  const dir = args.rules ?? config.rulesDir
  const loaded = await loadRules(dir)
  if (loaded.errors.length > 0) {
    // a partial rule set would report fewer alarms than the rules mean: refuse to guess
    for (const e of loaded.errors) io.err(formatError(e))
    io.err(`${loaded.errors.length} error(s) in ${dir}: nothing replayed`)
    return 1
  }
  const reader = createReader(config.questdb.pg)
  try {
    const report = await runBacktest(questDbHistory(reader), loaded.rules, {
      from: args.from,
      to: args.to,
      ...(args.site === undefined ? {} : { site: args.site }),
      warmupMs: args.warmupMs,
      ...(io.progress === undefined ? {} : { onProgress: progressLine(args, io.progress) }),
      offlineCheckMs: config.engine.offlineCheckMs,
      lateAfterMs: config.engine.lateAfterMs,
      ...(args.compare ? { actual: async (range) => await readActualRaises(reader, range) } : {})
    })
    if (args.format === 'json') io.out(formatJson(report))
    else for (const line of formatTable(report)) io.out(line)
    return 0
  } catch (err) {
    io.err(`backtest failed: ${(err as Error).message}`)
    return 1
  } finally {
    await reader.close()
  }
}

// PROGRESS_EVERY_MS: a replay of a day takes seconds to minutes; a line a second says it is moving
const PROGRESS_EVERY_MS = 1000

/** progressLine reports the replayed time as a share of the range, at most once a second (wall time). */
export function progressLine (args: Pick<BacktestArgs, 'from' | 'to' | 'warmupMs'>, show: (line: string) => void, now: () => number = Date.now): (at: number, readings: number) => void {
  let last = 0
  const start = args.from - args.warmupMs
  return (at, readings) => {
    const wall = now()
    if (wall - last < PROGRESS_EVERY_MS) return
    last = wall
    const share = Math.min(100, Math.max(0, Math.floor((at - start) / (args.to - start) * 100)))
    show(`replaying ${new Date(at).toISOString()} ${share}% ${readings} readings`)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: Output = { out: (l) => console.log(l), err: (l) => console.error(l), progress: (l) => console.error(l) }
  process.exitCode = await main(process.argv.slice(2), io)
}
