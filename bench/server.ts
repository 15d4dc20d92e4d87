// Starts minewatch itself as a child process against the benchmark's QuestDB and NATS, with its own tokens
// file and data directory, and waits for GET /ready. Supervision (log file, stop, exit hook) is the embedded
// services' own, from src/tools/embedded/child.ts.
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { spawnService, waitReady } from '../src/tools/embedded/child.js'
import { freePort } from '../src/tools/embedded/ports.js'

/** Tokens are one bearer token per role, all for every site. */
export interface Tokens { admin: string, gateway: string, operator: string }

/** ServerOptions say what to run and which services it talks to. */
export interface ServerOptions {
  /** dist/src/main.js, or a .ts entry run through tsx */
  entry: string
  /** extra node flags, e.g. --cpu-prof */
  nodeArgs: string[]
  dir: string
  qdbHttp: string
  qdbPg: string
  natsUrl: string
  rulesDir: string
}

/** BenchServer is a ready minewatch. */
export interface BenchServer { url: string, pid: number, tokens: Tokens, logFile: string, stop: () => Promise<void> }

/** startServer writes a tokens file, spawns the server and resolves once /ready answers 200. */
export async function startServer (o: ServerOptions): Promise<BenchServer> {
  const tokens: Tokens = { admin: token(), gateway: token(), operator: token() }
  const tokensFile = join(o.dir, 'tokens.json')
  await writeFile(tokensFile, JSON.stringify(Object.entries(tokens).map(([role, t]) => ({ token: t, role, sites: ['*'] }))))
  const port = await freePort()
  const logFile = join(o.dir, 'minewatch.log')
  const tsx = /\.[mc]?ts$/.test(o.entry) ? ['--import', 'tsx'] : []
  const proc = await spawnService({
    name: 'minewatch',
    bin: process.execPath,
    args: [...o.nodeArgs, ...tsx, o.entry],
    logFile,
    // The server stops gracefully (final flush, and --cpu-prof writes its profile only on a clean exit).
    stopGraceMs: 20_000,
    // Our environment passes through, so MINEWATCH_* tuning (flush sizes, limits) can be tried per run.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      QDB_HTTP: o.qdbHttp,
      QDB_PG: o.qdbPg,
      NATS_URL: o.natsUrl,
      MINEWATCH_TOKENS_FILE: tokensFile,
      MINEWATCH_RULES_DIR: o.rulesDir,
      MINEWATCH_DEMO: 'false',
      MINEWATCH_DATA_DIR: join(o.dir, 'data'),
      LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn'
    }
  })
  const url = `http://127.0.0.1:${port}`
  await waitReady({ name: 'minewatch', proc, logFile, check: () => ready(url), timeoutMs: 90_000, intervalMs: 200 })
  return { url, pid: proc.pid, tokens, logFile, stop: proc.stop }
}

function token (): string {
  return randomBytes(24).toString('base64url')
}

async function ready (url: string): Promise<boolean> {
  const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) })
  await res.arrayBuffer()
  return res.status === 200
}
