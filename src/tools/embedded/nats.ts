// The embedded nats-server: JetStream on, bound to 127.0.0.1 on a free port (or a given one, so a restart
// after a simulated outage comes back where clients expect it), streams kept in storeDir.
import { access, constants, mkdir } from 'node:fs/promises'
import { connect } from 'node:net'
import { delimiter, join, resolve } from 'node:path'
import { EmbeddedStartFailed } from '../../server/errors/catalogue.js'
import { spawnService, waitReady } from './child.js'
import { freePort } from './ports.js'
import type { Log } from '../../lib/log.js'

const DEBIAN_PATH = '/usr/sbin/nats-server' // Debian installs it outside a normal user's PATH

/** NatsOptions configures one embedded nats-server. */
export interface NatsOptions {
  storeDir: string
  /** reuse a previous port (restart after an outage); a free one is picked when absent */
  port?: number
  /** where stdout and stderr go; defaults to <storeDir>/nats-server.log */
  logFile?: string
  log?: Log
}

/** EmbeddedNats is a running nats-server: its address, port, pid and an idempotent stop(). */
export interface EmbeddedNats { url: string, port: number, pid: number, storeDir: string, stop (): Promise<void> }

/** findNatsServer returns the nats-server binary from PATH or /usr/sbin, or throws a coded error saying how to get it. */
export async function findNatsServer (): Promise<string> {
  // PATH is read as a shell would; it is a toolchain locator, not minewatch configuration.
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '')
  for (const candidate of [...dirs.map((d) => join(d, 'nats-server')), DEBIAN_PATH]) {
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate
  }
  throw new EmbeddedStartFailed('NATS', `nats-server not found on PATH nor at ${DEBIAN_PATH}; ` +
    'install it (apt-get install nats-server) or set NATS_URL to an existing server')
}

/** startNats starts nats-server with JetStream and resolves once it greets clients. */
export async function startNats (o: NatsOptions): Promise<EmbeddedNats> {
  const bin = await findNatsServer()
  const storeDir = resolve(o.storeDir)
  await mkdir(storeDir, { recursive: true })
  const port = o.port ?? await freePort()
  const logFile = o.logFile ?? join(storeDir, 'nats-server.log')
  const proc = await spawnService({
    name: 'NATS',
    bin,
    args: ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    logFile
  })
  // nats-server enables JetStream before it accepts clients, so its INFO greeting means fully ready.
  await waitReady({ name: 'NATS', proc, logFile, check: () => greets(port), timeoutMs: 30_000 })
  const url = `nats://127.0.0.1:${port}`
  o.log?.info({ url, pid: proc.pid, storeDir }, 'embedded nats-server started')
  return { url, port, pid: proc.pid, storeDir, stop: proc.stop }
}

// True once the server sends its INFO line; a bare TCP accept could still be some other process.
function greets (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const done = (ok: boolean) => { socket.destroy(); resolve(ok) }
    socket.setTimeout(1000, () => done(false))
    socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith('INFO ')))
    socket.once('error', () => done(false))
  })
}
