// Real QuestDB and nats-server for integration tests: fresh, on free ports, in a throw-away directory, and
// always stopped and removed by the test's teardown (even when start-up fails half way).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultCacheDir, startQuestDb, type CommitMode } from '../../src/tools/embedded/questdb.js'
import { startNats, type EmbeddedNats } from '../../src/tools/embedded/nats.js'

/** TestLike is the part of a tap Test the helpers need. */
export interface TestLike { teardown (fn: () => unknown): void }

/** ServiceOptions tunes the started services. */
export interface ServiceOptions { commitMode?: CommitMode }

/** QdbHandle is where a test reaches its QuestDB. */
export interface QdbHandle { httpUrl: string, pgUrl: string }

/** NatsHandle is where a test reaches its nats-server, plus what a restart reuses. */
export interface NatsHandle { url: string, port: number, storeDir: string }

/** NatsControl lets a test simulate a NATS outage: stop, then restart on the same port and store. */
export interface NatsControl { nats: NatsHandle, stopNats (): Promise<void>, restartNats (): Promise<void> }

/** Services is everything startServices started. */
export interface Services extends NatsControl { qdb: QdbHandle, dir: string }

/** QDB_TEST_VERSION is the QuestDB the tests run: QDB_VERSION if set, else the project's default. */
export const QDB_TEST_VERSION = process.env.QDB_VERSION ?? '9.3.4'

/** startServices starts a fresh QuestDB and nats-server for one test and stops both on teardown. */
export async function startServices (t: TestLike, opts: ServiceOptions = {}): Promise<Services> {
  const dir = await tempDir(t)
  // allSettled, not all: if one fails, the other must finish starting and register its teardown
  // before the test ends, or it would outlive the test.
  const [qdb, nats] = await Promise.allSettled([startQdb(t, dir, opts), startNatsControl(t, dir)])
  if (qdb.status === 'rejected') throw qdb.reason
  if (nats.status === 'rejected') throw nats.reason
  return { qdb: qdb.value, dir, ...nats.value }
}

/**
 * startQuestDbOnly starts a fresh QuestDB for one test and stops it on teardown. stopQdb stops it earlier,
 * to simulate an outage (stopping twice is harmless).
 */
export async function startQuestDbOnly (t: TestLike, opts: ServiceOptions = {}): Promise<{ qdb: QdbHandle, dir: string, stopQdb (): Promise<void> }> {
  const dir = await tempDir(t)
  const { handle, stop } = await startQdbControl(t, dir, opts)
  return { qdb: handle, dir, stopQdb: stop }
}

/** startNatsOnly starts a fresh nats-server (JetStream on) for one test and stops it on teardown. */
export async function startNatsOnly (t: TestLike): Promise<NatsControl & { dir: string }> {
  const dir = await tempDir(t)
  return { dir, ...await startNatsControl(t, dir) }
}

// tap runs teardowns last-registered first, so registering the removal before any service starts means
// the directory goes only after every service in it has stopped.
async function tempDir (t: TestLike): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'minewatch-test-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function startQdb (t: TestLike, dir: string, opts: ServiceOptions): Promise<QdbHandle> {
  return (await startQdbControl(t, dir, opts)).handle
}

async function startQdbControl (t: TestLike, dir: string, opts: ServiceOptions): Promise<{ handle: QdbHandle, stop (): Promise<void> }> {
  const qdb = await startQuestDb({
    version: QDB_TEST_VERSION,
    root: join(dir, 'questdb'),
    cacheDir: defaultCacheDir(),
    commitMode: opts.commitMode
  })
  t.teardown(qdb.stop)
  return { handle: { httpUrl: qdb.httpUrl, pgUrl: qdb.pgUrl }, stop: qdb.stop }
}

async function startNatsControl (t: TestLike, dir: string): Promise<NatsControl> {
  const storeDir = join(dir, 'nats')
  let current: EmbeddedNats | undefined = await startNats({ storeDir })
  const port = current.port
  const stopNats = async () => { await current?.stop(); current = undefined }
  t.teardown(stopNats)
  return {
    nats: { url: current.url, port, storeDir },
    stopNats,
    restartNats: async () => {
      await stopNats()
      current = await startNats({ storeDir, port })
    }
  }
}
