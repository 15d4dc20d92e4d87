// cli services - `npm run questdb:install` and `tsx src/tools/cli/services.ts start` (src/tools/cli/services.ts) run as
// child processes. install checks the JDK, the QuestDB jar (here the cached one, linked into a throw-away HOME:
// nothing is downloaded) and nats-server; when one is missing it says which and why, runs the other checks all
// the same, and exits 1. start runs QuestDB and nats-server under the data directory until SIGINT.
import { mkdir, readdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { connect } from 'nats'
import { findNatsServer } from '../../src/tools/embedded/nats.js'
import { canConnect } from '../../src/tools/embedded/ports.js'
import { defaultCacheDir } from '../../src/tools/embedded/questdb.js'
import { run, start } from '../helpers/process.js'
import { tempDir } from '../helpers/rules.js'
import { QDB_TEST_VERSION, type TestLike } from '../helpers/services.js'

const SCRIPT = 'src/tools/cli/services.ts'
const JAR = `questdb-${QDB_TEST_VERSION}.jar`
// the JDK is found through JAVA_HOME when the test run has one, else in /usr/lib/jvm
const javaHome: Record<string, string> = process.env.JAVA_HOME === undefined ? {} : { JAVA_HOME: process.env.JAVA_HOME }

/** homeWithJar makes a HOME whose ~/.cache/minewatch holds the cached QuestDB jar (a link to it). */
async function homeWithJar (t: TestLike): Promise<string> {
  const home = await tempDir(t, 'minewatch-cli-home-')
  await mkdir(join(home, '.cache', 'minewatch'), { recursive: true })
  await symlink(join(defaultCacheDir(), JAR), join(home, '.cache', 'minewatch', JAR))
  return home
}

t.test('cli services install - finds the JDK, the cached QuestDB jar and nats-server (exit 0)', async (t) => {
  const home = await homeWithJar(t)
  const res = await run(t, SCRIPT, ['install'], { HOME: home, QDB_VERSION: QDB_TEST_VERSION, ...javaHome })
  t.same([res.code, res.stderr], [0, ''], 'exit 0, nothing missing')
  const lines = res.stdout.trim().split('\n')
  t.equal(lines.length, 3, 'one line per check')
  t.match(lines[0], /^ok {7}java: \/\S+\/bin\/java \(Java \d+\)$/)
  t.equal(lines[1], `ok       questdb ${QDB_TEST_VERSION}: ${join(home, '.cache', 'minewatch', JAR)}`, 'the jar in the cache, not downloaded')
  t.equal(lines[2], `ok       nats-server: ${await findNatsServer()}`)
})

t.test('cli services install - a QuestDB jar it cannot fetch is reported, the other checks still run (exit 1)', async (t) => {
  const home = await tempDir(t, 'minewatch-cli-home-') // an empty cache
  // PATH holds nats-server and nothing else: no Maven to fetch the jar with
  const bin = await tempDir(t, 'minewatch-cli-bin-')
  await symlink(await findNatsServer(), join(bin, 'nats-server'))
  const res = await run(t, SCRIPT, ['install'], { HOME: home, PATH: bin, QDB_VERSION: QDB_TEST_VERSION, ...javaHome })
  t.equal(res.code, 1, 'exit 1')
  t.match(res.stdout, /^ok {7}java: .*\(Java \d+\)$/m, 'the JDK check ran')
  t.match(res.stdout, new RegExp(`^ok {7}nats-server: ${join(bin, 'nats-server')}$`, 'm'), 'the nats-server check ran after the failure')
  const missing = res.stderr.trim().split('\n')
  t.equal(missing.length, 1, 'one check failed')
  t.match(missing[0], new RegExp(`^MISSING {2}questdb ${QDB_TEST_VERSION}: .*cannot download org\\.questdb:questdb:${QDB_TEST_VERSION}: Maven \\(mvn\\) is not on PATH`),
    'the missing jar, and why it could not be fetched')
  t.same(await readdir(join(home, '.cache', 'minewatch')), [], 'no jar and no half-downloaded staging directory left behind')
})

t.test('cli services - an unknown command prints the usage (exit 2)', async (t) => {
  const res = await run(t, SCRIPT, ['frobnicate'], {})
  t.same([res.code, res.stdout, res.stderr.trim()], [2, '', 'usage: tsx src/tools/cli/services.ts install|start'])
})

t.test('cli services start - QuestDB and nats-server under the data directory until SIGINT', async (t) => {
  const home = await homeWithJar(t)
  const data = await tempDir(t, 'minewatch-cli-data-')
  const child = start(t, SCRIPT, ['start'], { HOME: home, MINEWATCH_DATA_DIR: data, QDB_VERSION: QDB_TEST_VERSION, ...javaHome })
  const [, httpUrl, pgUrl, natsUrl] = await child.waitFor(/QDB_HTTP=(\S+) QDB_PG=(\S+) NATS_URL=(\S+)/, 'the addresses') as [string, string, string, string]
  t.match(child.output(), /\(Ctrl-C stops both\)/)
  const sql = await (await fetch(`${httpUrl}/exec?query=${encodeURIComponent('select 1')}`)).json() as { dataset: unknown }
  t.same(sql.dataset, [[1]], 'QuestDB answers SQL')
  const nc = await connect({ servers: natsUrl })
  const account = await (await nc.jetstreamManager()).getAccountInfo()
  await nc.close()
  t.equal(account.streams, 0, 'nats-server answers, with JetStream')
  t.same((await readdir(join(data, 'dev'))).sort(), ['nats', 'questdb'], 'both keep their files under <data dir>/dev')
  const ports = [httpUrl, pgUrl, natsUrl].map((u) => Number(new URL(u).port))

  child.process.kill('SIGINT')
  const exit = await child.exited
  t.same([exit.code, exit.signal], [0, null], 'SIGINT: a clean exit')
  t.match(child.output(), /SIGINT: stopping/)
  t.same(await Promise.all(ports.map(async (p) => await canConnect(p))), [false, false, false], 'and both services are stopped')
})
