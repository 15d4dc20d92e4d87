// The embedded QuestDB: the jar comes from Maven Central into a per-user cache, and runs on a JDK found by
// findJava, on free ports, with its files under a root directory the caller owns.
import { execFile } from 'node:child_process'
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { EmbeddedStartFailed } from '../../server/errors/catalogue.js'
import { spawnService, waitReady } from './child.js'
import { findJava, requiredJavaFor } from './jdk.js'
import { canConnect, freePorts } from './ports.js'
import type { Log } from '../../lib/log.js'

const execFileP = promisify(execFile)

/** CommitMode is QuestDB's cairo.commit.mode: when a commit is flushed to disk (9.3.x knows these three). */
export type CommitMode = 'sync' | 'async' | 'nosync'

/** InstallOptions names the QuestDB version and the directory that caches its jar. */
export interface InstallOptions { version: string, cacheDir: string }

/** QuestDbOptions configures one embedded QuestDB; root holds its data, config and questdb.log. */
export interface QuestDbOptions extends InstallOptions {
  root: string
  /** defaults to 'sync' so that a write QuestDB acknowledged survives a power loss, not just a crash */
  commitMode?: CommitMode
  log?: Log
}

/** EmbeddedQuestDb is a running QuestDB: its addresses, its pid and an idempotent stop(). */
export interface EmbeddedQuestDb { httpUrl: string, pgUrl: string, pid: number, stop (): Promise<void> }

/** defaultCacheDir returns ~/.cache/minewatch, where downloaded service binaries are kept. */
export function defaultCacheDir (): string {
  return join(homedir(), '.cache', 'minewatch')
}

/** installQuestDb returns the path of questdb-<version>.jar in cacheDir, fetching it with Maven if absent. */
export async function installQuestDb ({ version, cacheDir }: InstallOptions): Promise<string> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new EmbeddedStartFailed('QuestDB', `invalid version "${version}"`)
  const jar = join(cacheDir, `questdb-${version}.jar`)
  if (await access(jar).then(() => true, () => false)) return jar
  await mkdir(cacheDir, { recursive: true })
  // Download beside the cache, then rename: an interrupted or concurrent install never leaves half a jar.
  const staging = await mkdtemp(join(cacheDir, '.install-'))
  try {
    await mvnCopy(`org.questdb:questdb:${version}`, staging)
    await rename(join(staging, `questdb-${version}.jar`), jar)
    return jar
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

async function mvnCopy (artifact: string, outDir: string): Promise<void> {
  // -U: retry even if an earlier attempt (say, offline) left a cached "not found" in ~/.m2.
  const args = ['-q', '-B', '-U', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${outDir}`]
  try {
    await execFileP('mvn', args, { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 })
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string, stderr?: string }
    const why = e.code === 'ENOENT'
      ? 'Maven (mvn) is not on PATH; install it (apt-get install maven)'
      : `mvn failed: ${mvnErrors(`${e.stdout ?? ''}\n${e.stderr ?? ''}`) || e.message}`
    throw new EmbeddedStartFailed('QuestDB', `cannot download ${artifact}: ${why}`, { cause: err })
  }
}

// QuestDB's worker threads spin for thousands of idle rounds after each job before they sleep. With a commit
// every few tens of milliseconds they never get to sleep, and on a 2-core machine that spinning took about
// half of QuestDB's CPU (measured: 1.57 → 0.83 cores at 20 commits/s of 2,250 rows). Idle workers here go to
// sleep after a few rounds instead.
const LOW_SPIN = {
  QDB_SHARED_WORKER_YIELD_THRESHOLD: '10',
  QDB_SHARED_WORKER_NAP_THRESHOLD: '20',
  QDB_SHARED_WORKER_SLEEP_THRESHOLD: '50',
  QDB_WAL_APPLY_WORKER_YIELD_THRESHOLD: '10',
  QDB_WAL_APPLY_WORKER_NAP_THRESHOLD: '20',
  QDB_WAL_APPLY_WORKER_SLEEP_THRESHOLD: '50'
}

/** startQuestDb installs (if needed) and starts QuestDB on free ports, resolving once it answers SQL. */
export async function startQuestDb (o: QuestDbOptions): Promise<EmbeddedQuestDb> {
  const jdk = await findJava(requiredJavaFor(o.version), { neededBy: `QuestDB ${o.version}` })
  const jar = await installQuestDb(o)
  const root = resolve(o.root)
  await mkdir(root, { recursive: true })
  const [http, pg, ilp, httpMin] = await freePorts(4) as [number, number, number, number]
  const commitMode = o.commitMode ?? 'sync'
  const logFile = join(root, 'questdb.log')
  const proc = await spawnService({
    name: 'QuestDB',
    bin: jdk.javaBin,
    args: [...jvmFlags(jdk.major), '-p', jar, '-m', 'io.questdb/io.questdb.ServerMain', '-d', root],
    logFile,
    env: {
      ...withoutQdbVars(process.env),
      QDB_HTTP_BIND_TO: `127.0.0.1:${http}`,
      QDB_PG_NET_BIND_TO: `127.0.0.1:${pg}`,
      QDB_LINE_TCP_NET_BIND_TO: `127.0.0.1:${ilp}`,
      QDB_HTTP_MIN_NET_BIND_TO: `127.0.0.1:${httpMin}`,
      QDB_CAIRO_COMMIT_MODE: commitMode,
      QDB_TELEMETRY_ENABLED: 'false',
      QDB_LINE_UDP_ENABLED: 'false',
      ...LOW_SPIN
    }
  })
  const httpUrl = `http://127.0.0.1:${http}`
  const pgUrl = `postgres://admin:quest@127.0.0.1:${pg}/qdb`
  // HTTP answering SQL means the engine is up; the PG check covers its listener starting a moment later.
  const check = async () => await answersSql(httpUrl) && await canConnect(pg)
  await waitReady({ name: 'QuestDB', proc, logFile, check, timeoutMs: 60_000 })
  o.log?.info({ httpUrl, pg: `127.0.0.1:${pg}`, pid: proc.pid, root, java: jdk.major, commitMode }, 'embedded QuestDB started')
  return { httpUrl, pgUrl, pid: proc.pid, stop: proc.stop }
}

// QuestDB loads native code and uses sun.misc.Unsafe by design; newer JDKs warn about both on every start,
// which buries the lines that matter in questdb.log.
function jvmFlags (javaMajor: number): string[] {
  const flags = ['--enable-native-access=io.questdb']
  if (javaMajor >= 23) flags.push('--sun-misc-unsafe-memory-access=allow')
  return flags
}

// QuestDB maps every QDB_* variable onto a server property; minewatch's own QDB_HTTP, QDB_PG and
// QDB_VERSION must not leak into it as bogus settings.
function withoutQdbVars (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('QDB_')))
}

async function answersSql (httpUrl: string): Promise<boolean> {
  const res = await fetch(`${httpUrl}/exec?query=select%201`, { signal: AbortSignal.timeout(2000) })
  await res.arrayBuffer()
  return res.ok
}

// Maven's first [ERROR] lines say what went wrong; the rest is generic advice. Colour codes survive -B.
function mvnErrors (output: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim())
  const errors = lines.filter((l) => /^\[ERROR\] \S/.test(l)).slice(0, 1)
  return (errors.length > 0 ? errors : lines.filter((l) => l !== '').slice(-10)).join('\n')
}
