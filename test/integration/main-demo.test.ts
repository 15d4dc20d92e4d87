// main demo - the demo-feed branch of src/main.ts, run as the real server (node --import tsx src/main.ts) on the
// test's QuestDB and nats-server with MINEWATCH_DEMO=true: the simulated fleet is registered and its readings
// are posted to the server it runs in and stored; an unknown MINEWATCH_DEMO_SCENARIO is logged and the feed runs
// clean; SIGTERM stops feed and server cleanly. Without an admin and a gateway token for every site there is no
// feed: the server runs and says why.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { freePort } from '../../src/tools/embedded/ports.js'
import { buildFleet } from '../../src/tools/simulate/fleet/index.js'
import { auth, TOKENS } from '../helpers/app.js'
import { start, type Child } from '../helpers/process.js'
import { tempDir } from '../helpers/rules.js'
import { startServices, type TestLike } from '../helpers/services.js'
import { untilOk } from '../helpers/wait.js'

const svc = await startServices(t)
const fleet = buildFleet()

interface Server { child: Child, url: string }

/** StopTap is the part of a tap Test that stop asserts with. */
interface StopTap {
  same: (found: unknown, wanted: unknown, message: string) => boolean
  match: (found: unknown, wanted: RegExp, message: string) => boolean
  notMatch: (found: unknown, wanted: RegExp, message: string) => boolean
}

/** startMain starts src/main.ts on the test's services with the given tokens and MINEWATCH_DEMO=true, and waits until it listens. */
async function startMain (t: TestLike, tokens: Array<{ token: string, role: string }>, env: Record<string, string> = {}): Promise<Server> {
  const dataDir = await tempDir(t, 'minewatch-main-demo-')
  const tokensFile = join(dataDir, 'tokens.json')
  await writeFile(tokensFile, JSON.stringify(tokens.map((x) => ({ ...x, sites: ['*'] }))))
  const port = await freePort()
  const child = start(t, 'src/main.ts', [], {
    QDB_HTTP: svc.qdb.httpUrl,
    QDB_PG: svc.qdb.pgUrl,
    NATS_URL: svc.nats.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    MINEWATCH_TOKENS_FILE: tokensFile,
    MINEWATCH_DATA_DIR: dataDir,
    MINEWATCH_DEMO: 'true',
    LOG_LEVEL: 'info',
    ...env
  })
  await child.waitFor(/"msg":"minewatch listening"/, 'minewatch listening')
  return { child, url: `http://127.0.0.1:${port}` }
}

async function get (server: Server, path: string): Promise<{ status: number, body: any }> {
  const res = await fetch(server.url + path, { headers: auth('operator') })
  return { status: res.status, body: await res.json() }
}

/** stop sends SIGTERM and checks the server shut down cleanly: exit 0, no error logged. */
async function stop (t: StopTap, server: Server): Promise<void> {
  server.child.process.kill('SIGTERM')
  const exit = await server.child.exited
  t.same([exit.code, exit.signal], [0, null], 'SIGTERM: exit 0')
  t.match(server.child.output(), /"msg":"shutting down"/, 'it shuts down')
  t.notMatch(server.child.output(), /"level":(50|60)/, 'no error logged')
}

// first, so that no feed has registered the fleet in this QuestDB yet
t.test('main demo - without an admin and a gateway token for every site, no demo feed', async (t) => {
  const server = await startMain(t, [{ token: TOKENS.admin, role: 'admin' }, { token: TOKENS.operator, role: 'operator' }])
  await server.child.waitFor(/"msg":"demo feed not started: the tokens file has no admin and gateway token for every site"/, 'the reason')
  t.pass('the server says why there is no demo feed')
  t.equal((await fetch(`${server.url}/ready`)).status, 200, 'and serves')
  // the feed would have registered the fleet before anything else (the next test shows it does)
  t.same(await get(server, '/v1/sites'), { status: 200, body: { sites: [] } }, 'no site registered')
  await stop(t, server)
  t.notMatch(server.child.output(), /demo feed started/, 'no feed started meanwhile')
})

t.test('main demo - MINEWATCH_DEMO=true: the simulated fleet posts to the server it runs in, and stops with it', async (t) => {
  const server = await startMain(t, [
    { token: TOKENS.admin, role: 'admin' },
    { token: TOKENS.operator, role: 'operator' },
    { token: TOKENS.gateway, role: 'gateway' }
  ], { MINEWATCH_DEMO_SCENARIO: 'no-such-scenario' })
  await server.child.waitFor(/"msg":"demo feed started"/, 'demo feed started')
  t.match(server.child.output(), /"msg":"MINEWATCH_DEMO_SCENARIO ignored: the demo feed runs clean"/, 'an unknown scenario is logged, the feed runs clean')
  t.notMatch(server.child.output(), /"msg":"demo feed scenario"/, 'no scenario is played')
  const sites = await get(server, '/v1/sites')
  t.same(sites.body.sites.map((s: { siteCode: string }) => s.siteCode).sort(), fleet.sites.map((s) => s.code).sort(), 'the fleet is registered')
  // the first tick posts one reading per point; the reading shows once QuestDB has applied it
  const readings = await untilOk(async () => {
    const r = await get(server, '/v1/sites/SG-XS/points/CO-001/readings')
    return r.status === 200 && r.body.readings.length > 0 ? r.body.readings as Array<{ value: number, status: number }> : undefined
  }, 'a demo reading of SG-XS CO-001 stored')
  t.ok(readings.every((r) => r.value >= 0 && r.value < 20 && r.status === 0), `clean CO readings stored (${readings.length})`)
  await stop(t, server)
})
