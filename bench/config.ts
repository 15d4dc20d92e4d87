// Settings of `npm run bench`, all from the environment so a run can be shortened or reshaped without edits.
import { envSchema } from '../src/server/config/schema.js'
import type { CommitMode } from '../src/tools/embedded/questdb.js'

const env = process.env
function num (name: string, dflt: number): number {
  const raw = env[name]
  const v = raw === undefined || raw === '' ? dflt : Number(raw)
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`)
  return v
}

function commitMode (v: string): CommitMode {
  if (v !== 'sync' && v !== 'async' && v !== 'nosync') throw new Error(`BENCH_QDB_COMMIT_MODE must be sync, async or nosync, got "${v}"`)
  return v
}

/** cfg is the benchmark's configuration: BENCH_* variables (bench/README.md), QDB_VERSION as the server reads it. */
export const cfg = {
  points: num('BENCH_POINTS', 10_000),
  sites: num('BENCH_SITES', 20),
  durationS: num('BENCH_DURATION_S', 30),
  /** the half-rate phase is longer: at a realistic alarm rate it needs the time to collect enough latency samples */
  halfDurationS: num('BENCH_HALF_DURATION_S', 60),
  warmupS: num('BENCH_WARMUP_S', 5),
  halfWarmupS: num('BENCH_HALF_WARMUP_S', 3),
  rawS: num('BENCH_RAW_S', 10),
  rawWarmupS: num('BENCH_RAW_WARMUP_S', 2),
  rawFlushRows: num('BENCH_RAW_FLUSH_ROWS', 75_000),
  batchSize: num('BENCH_BATCH', 500),
  // A 200 waits for a QuestDB commit, so one client's rate is (requests in flight × batch) / round trip:
  // with 16 in flight the generator, not the server, set the "max" (~40-60k/s here). 64 saturates the server.
  concurrency: num('BENCH_CONCURRENCY', 64),
  // Each probe is a raise and a clear, and each transition is a QuestDB commit of its own: 5 probes/s is 10
  // alarm transitions/s (36,000 an hour), far above a real mine network, and 300 samples in the half phase.
  probeHz: num('BENCH_PROBE_HZ', 5),
  quietCores: num('BENCH_QUIET_CORES', 0.3),
  quietWaitS: num('BENCH_QUIET_WAIT_S', 15),
  rulesDir: env.BENCH_RULES_DIR ?? 'rules',
  serverEntry: env.BENCH_SERVER_ENTRY ?? 'dist/src/main.js',
  serverNodeArgs: (env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  questdbVersion: env.QDB_VERSION ?? envSchema.properties.QDB_VERSION.default,
  /** QuestDB's commit mode; 'sync' is what the server's embedded QuestDB uses, the others are for comparison */
  commitMode: commitMode(env.BENCH_QDB_COMMIT_MODE ?? 'sync'),
  skipBuild: env.BENCH_SKIP_BUILD === '1',
  keep: env.BENCH_KEEP === '1',
  rawAfter: env.BENCH_RAW_AFTER !== '0',
  resultsDir: env.BENCH_RESULTS_DIR ?? 'bench-results'
}
