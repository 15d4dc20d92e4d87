// `npm run bench`: build, start QuestDB and NATS in a temp dir, measure the raw QuestDB client, start
// minewatch with the repo's rules and ~10k points, run a max-rate phase then a half-rate phase from a separate
// load process, and print one table (bench/README.md explains every number). Targets are reported, not
// enforced: the exit code is 0 unless the run itself broke.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { envSchema } from '../src/config/schema.js'
import { startNats } from '../src/embedded/nats.js'
import { defaultCacheDir, startQuestDb } from '../src/embedded/questdb.js'
import { AlarmWatch } from './alarms.js'
import { Cleanup } from './cleanup.js'
import { coRule } from './co-rule.js'
import { buildFleet } from './fleet.js'
import { loadPhase, rawPhase, type Pids } from './phases.js'
import { RssSampler } from './proc.js'
import type { LoadConfig } from './protocol.js'
import { registerFleet } from './register.js'
import { renderTable, writeResult, type BenchResult } from './report.js'
import { startServer } from './server.js'
import { round } from './stats.js'

const env = process.env
const num = (name: string, dflt: number): number => (env[name] === undefined || env[name] === '' ? dflt : Number(env[name]))

const cfg = {
  points: num('BENCH_POINTS', 10_000),
  sites: num('BENCH_SITES', 20),
  durationS: num('BENCH_DURATION_S', 20),
  warmupS: num('BENCH_WARMUP_S', 5),
  halfWarmupS: num('BENCH_HALF_WARMUP_S', 3),
  rawS: num('BENCH_RAW_S', 10),
  rawFlushRows: num('BENCH_RAW_FLUSH_ROWS', 75_000),
  batchSize: num('BENCH_BATCH', 500),
  concurrency: num('BENCH_CONCURRENCY', 16),
  probeHz: num('BENCH_PROBE_HZ', 20),
  rulesDir: env.BENCH_RULES_DIR ?? 'rules',
  serverEntry: env.BENCH_SERVER_ENTRY ?? 'dist/src/main.js',
  serverNodeArgs: (env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  questdbVersion: env.QDB_VERSION ?? envSchema.properties.QDB_VERSION.default,
  skipBuild: env.BENCH_SKIP_BUILD === '1',
  keep: env.BENCH_KEEP === '1',
  resultsDir: env.BENCH_RESULTS_DIR ?? 'bench-results'
}

const say = (msg: string): void => { console.error(`bench: ${msg}`) }

async function build (): Promise<void> {
  say('npm run build')
  const code = await new Promise<number | null>((resolve, reject) => {
    spawn('npm', ['run', '--silent', 'build'], { stdio: 'inherit' }).once('error', reject).once('exit', resolve)
  })
  if (code !== 0) throw new Error(`npm run build failed (exit ${code})`)
}

async function bench (cleanup: Cleanup, dir: string): Promise<BenchResult> {
  const startedAt = new Date().toISOString()
  if (!cfg.skipBuild) await build()
  const rule = await coRule(cfg.rulesDir)
  say(`CO rule ${rule.ids.join(', ')}: alarm at ${rule.alarmAt}, release ${rule.release}, dwell ${rule.dwellMs} ms`)
  if (rule.alarmAt > 40 || rule.release <= 5) say('WARNING: probes send 40 then 5 ppm, which this rule may not treat as raise/release')
  const qdb = await startQuestDb({ version: cfg.questdbVersion, cacheDir: defaultCacheDir(), root: join(dir, 'questdb') })
  cleanup.add('QuestDB', qdb.stop)
  const nats = await startNats({ storeDir: join(dir, 'nats') })
  cleanup.add('NATS', nats.stop)
  const pids: Pids = { questdb: qdb.pid, nats: nats.pid }
  say(`raw QuestDB client for ${cfg.rawS} s`)
  const raw = await rawPhase({ qdbHttp: qdb.httpUrl, durationS: cfg.rawS, flushRows: cfg.rawFlushRows, points: cfg.points, sites: cfg.sites }, pids, cleanup)
  say(`raw: ${raw.rowsPerSecond.toLocaleString('en-US')} rows/s; starting minewatch (${cfg.serverEntry})`)
  const server = await startServer({
    entry: cfg.serverEntry, nodeArgs: cfg.serverNodeArgs, dir, qdbHttp: qdb.httpUrl, qdbPg: qdb.pgUrl, natsUrl: nats.url, rulesDir: cfg.rulesDir
  })
  cleanup.add('minewatch', server.stop)
  const rss = new RssSampler(server.pid)
  cleanup.add('RSS sampler', () => rss.stop())
  const fleet = buildFleet(cfg.points, cfg.sites)
  await registerFleet(server.url, server.tokens.admin, fleet)
  say(`registered ${fleet.length} sites, ${cfg.points} points`)
  const watch = await AlarmWatch.start(nats.url)
  cleanup.add('alarm subscriber', () => watch.close())
  const serverPids = { server: server.pid, ...pids }
  const { points, sites, batchSize, concurrency, probeHz, warmupS } = cfg
  const target = { url: server.url, token: server.tokens.gateway, dwellMs: rule.dwellMs }
  const load: LoadConfig = { ...target, points, sites, batchSize, concurrency, probeHz, warmupS, rate: 0, durationS: warmupS + cfg.durationS }
  const phase = { serverUrl: server.url, metricsToken: server.tokens.admin }
  const max = await loadPhase({ ...phase, label: 'max', load }, watch, serverPids, cleanup)
  if (max.load.sustained === 0) throw new Error(`the server accepted nothing: ${max.load.firstError}`)
  const halfLoad = { ...load, rate: Math.round(max.load.sustained / 2), durationS: cfg.halfWarmupS + cfg.durationS, warmupS: cfg.halfWarmupS }
  const half = await loadPhase({ ...phase, label: 'half', load: halfLoad }, watch, serverPids, cleanup)
  rss.sample()
  const ratio = round(max.load.sustained / raw.rowsPerSecond, 3)
  const unmatched = watch.unmatched()
  return {
    startedAt,
    machine: { cpus: availableParallelism(), node: process.version },
    config: { ...cfg, coRule: rule },
    raw,
    max,
    half,
    ratio,
    serverRssMaxMb: rss.maxMb() === null ? null : round(rss.maxMb() as number, 1),
    alarms: { ...watch.counts, unmatchedProbes: unmatched.probes, unmatchedCoAlarms: unmatched.coAlarms },
    bars: {
      ratio: { value: ratio, limit: '>= 0.5', pass: ratio >= 0.5 },
      p99HalfRate: { value: half.latency.p99, limit: '< 250 ms', pass: half.latency.p99 !== null && half.latency.p99 < 250 }
    }
  }
}

async function main (): Promise<void> {
  const cleanup = new Cleanup()
  cleanup.onSignals()
  const dir = await mkdtemp(join(tmpdir(), 'minewatch-bench-'))
  let ok = false
  // Added first, so it runs last: logs are kept when something went wrong, or on request.
  cleanup.add('temp dir', async () => {
    if (ok && !cfg.keep) await rm(dir, { recursive: true, force: true })
    else say(`files (logs, data) kept in ${dir}`)
  })
  try {
    const result = await bench(cleanup, dir)
    console.log(`\n${renderTable(result)}\n`)
    say(`results written to ${await writeResult(cfg.resultsDir, result)}`)
    ok = true
  } finally {
    say('stopping everything it started')
    await cleanup.run()
  }
}

main().catch((err: unknown) => {
  console.error('bench: the run broke:', err instanceof Error ? err.message : err)
  process.exitCode = 1
})
