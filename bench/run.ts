// `npm run bench`: build, start QuestDB and NATS in a temp dir, measure the raw QuestDB client, start
// minewatch with the repo's rules and ~10k points, run a max-rate phase then a half-rate phase from a separate
// load process, and print one table (bench/README.md explains every number). Targets are reported, not
// enforced: the exit code is 0 unless the run itself broke.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNats } from '../src/tools/embedded/nats.js'
import { defaultCacheDir, startQuestDb, type EmbeddedQuestDb } from '../src/tools/embedded/questdb.js'
import { AlarmWatch } from './alarms.js'
import { Cleanup } from './cleanup.js'
import { coRule } from './co-rule.js'
import { cfg } from './config.js'
import { buildFleet } from './fleet.js'
import { loadPhase, rawPhase, walSettled, type Pids, type RawPhase } from './phases.js'
import { RssSampler, waitQuiet } from './proc.js'
import type { LoadConfig } from './protocol.js'
import { registerFleet } from './register.js'
import { renderTable, writeResult, type BenchResult, type RawPhaseResult } from './report.js'
import { startServer } from './server.js'
import { round } from './stats.js'

const say = (msg: string): void => { console.error(`bench: ${msg}`) }

async function build (): Promise<void> {
  say('npm run build')
  const code = await new Promise<number | null>((resolve, reject) => {
    spawn('npm', ['run', '--silent', 'build'], { stdio: 'inherit' }).once('error', reject).once('exit', resolve)
  })
  if (code !== 0) throw new Error(`npm run build failed (exit ${code})`)
}

const rawWarmupLabel = (): string => `${cfg.rawWarmupS} s warm-up + ${cfg.rawS} s`

// The machine may be shared (parallel test runs): start each measurement once the neighbours are quiet,
// within limits, and report how busy they were either way.
async function quiet (pids: Pids, before: string): Promise<void> {
  const noise = await waitQuiet(() => pids, cfg.quietCores, cfg.quietWaitS * 1000)
  if (noise !== null && noise >= cfg.quietCores) say(`other processes use ${noise} cores; measuring ${before} anyway`)
}

// The denominator moves with the neighbours: measuring the raw client again after the server phases (server
// stopped, QuestDB's WAL backlog applied) shows by how much.
async function rawAgain (stopServer: () => Promise<void>, o: RawPhase, pids: Pids, cleanup: Cleanup): Promise<RawPhaseResult> {
  await stopServer()
  const waited = await walSettled(o.qdbHttp)
  say(`server stopped, QuestDB WAL applied after ${waited} ms; raw QuestDB client again for ${rawWarmupLabel()}`)
  await quiet(pids, 'the raw client')
  return await rawPhase(o, pids, cleanup)
}

async function services (cleanup: Cleanup, dir: string) {
  const qdb = await startQuestDb({ version: cfg.questdbVersion, cacheDir: defaultCacheDir(), root: join(dir, 'questdb'), commitMode: cfg.commitMode })
  cleanup.add('QuestDB', qdb.stop)
  const nats = await startNats({ storeDir: join(dir, 'nats') })
  cleanup.add('NATS', nats.stop)
  return { qdb, nats, pids: { questdb: qdb.pid, nats: nats.pid } as Pids }
}

async function minewatch (cleanup: Cleanup, dir: string, qdb: EmbeddedQuestDb, natsUrl: string) {
  say(`starting minewatch (${cfg.serverEntry})`)
  const server = await startServer({
    entry: cfg.serverEntry, nodeArgs: cfg.serverNodeArgs, dir, qdbHttp: qdb.httpUrl, qdbPg: qdb.pgUrl, natsUrl, rulesDir: cfg.rulesDir
  })
  cleanup.add('minewatch', server.stop)
  const rss = new RssSampler(server.pid)
  cleanup.add('RSS sampler', () => rss.stop())
  const fleet = buildFleet(cfg.points, cfg.sites)
  await registerFleet(server.url, server.tokens.admin, fleet)
  say(`registered ${fleet.length} sites, ${cfg.points} points`)
  return { server, rss }
}

async function bench (cleanup: Cleanup, dir: string): Promise<BenchResult> {
  const startedAt = new Date().toISOString()
  const loadAtStart = round(loadavg()[0] ?? 0, 2)
  if (!cfg.skipBuild) await build()
  const rule = await coRule(cfg.rulesDir)
  say(`CO rule ${rule.ids.join(', ')}: alarm at ${rule.alarmAt}, release ${rule.release}, dwell ${rule.dwellMs} ms`)
  if (rule.alarmAt > 40 || rule.release <= 5) say('WARNING: probes send 40 then 5 ppm, which this rule may not treat as raise/release')
  const { qdb, nats, pids } = await services(cleanup, dir)
  const { points, sites, rawS, rawWarmupS, rawFlushRows, batchSize, concurrency, probeHz, warmupS } = cfg
  const rawOpts = { qdbHttp: qdb.httpUrl, durationS: rawS, warmupS: rawWarmupS, flushRows: rawFlushRows, points, sites }
  await quiet(pids, 'the raw client')
  say(`raw QuestDB client for ${rawWarmupLabel()}`)
  const raw = await rawPhase(rawOpts, pids, cleanup)
  say(`raw: ${raw.rowsPerSecond.toLocaleString('en-US')} rows/s`)
  const { server, rss } = await minewatch(cleanup, dir, qdb, nats.url)
  const watch = await AlarmWatch.start(nats.url)
  cleanup.add('alarm subscriber', () => watch.close())
  const serverPids = { server: server.pid, ...pids }
  const target = { url: server.url, token: server.tokens.gateway, dwellMs: rule.dwellMs }
  const load: LoadConfig = { ...target, points, sites, batchSize, concurrency, probeHz, warmupS, rate: 0, durationS: warmupS + cfg.durationS }
  const phase = { serverUrl: server.url, metricsToken: server.tokens.admin }
  await quiet(serverPids, 'the max-rate phase')
  const max = await loadPhase({ ...phase, label: 'max', load }, watch, serverPids, cleanup)
  if (max.load.sustained === 0) throw new Error(`the server accepted nothing: ${max.load.firstError}`)
  const halfLoad = { ...load, rate: Math.round(max.load.sustained / 2), durationS: cfg.halfWarmupS + cfg.halfDurationS, warmupS: cfg.halfWarmupS }
  await quiet(serverPids, 'the half-rate phase')
  const half = await loadPhase({ ...phase, label: 'half', load: halfLoad }, watch, serverPids, cleanup)
  rss.sample()
  const rawAfter = cfg.rawAfter ? await rawAgain(server.stop, rawOpts, pids, cleanup) : null
  const rawRate = round(rawAfter === null ? raw.rowsPerSecond : (raw.rowsPerSecond + rawAfter.rowsPerSecond) / 2)
  const ratio = round(max.load.sustained / rawRate, 3)
  const unmatched = watch.unmatched()
  return {
    startedAt,
    machine: { cpus: availableParallelism(), node: process.version, loadAverage1m: loadAtStart },
    config: { ...cfg, coRule: rule },
    raw: { before: raw, after: rawAfter, rowsPerSecond: rawRate },
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
