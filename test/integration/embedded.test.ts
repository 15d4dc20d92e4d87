import t from 'tap'
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { connect, StringCodec } from 'nats'
import { findJava, parseJavaMajor, requiredJavaFor } from '../../src/tools/embedded/jdk.js'
import { canConnect } from '../../src/tools/embedded/ports.js'
import { startNatsOnly, startQuestDbOnly, startServices } from '../helpers/services.js'

const sc = StringCodec()
const portOf = (url: string) => Number(new URL(url).port)

async function execSql (httpUrl: string, sql: string): Promise<any> {
  const res = await fetch(`${httpUrl}/exec?query=${encodeURIComponent(sql)}`)
  return await res.json()
}

t.test('embedded - QuestDB starts on free ports and answers SQL over HTTP and PG wire', async (t) => {
  const { qdb, dir } = await startQuestDbOnly(t)
  t.notOk([9000, 8812].includes(portOf(qdb.httpUrl)), 'not on the standard HTTP port')
  t.notOk([9000, 8812].includes(portOf(qdb.pgUrl)), 'not on the standard PG port')
  t.same((await execSql(qdb.httpUrl, 'select 1')).dataset, [[1]], 'HTTP /exec answers')

  const client = new pg.Client({ connectionString: qdb.pgUrl })
  await client.connect()
  t.teardown(() => client.end())
  const { rows } = await client.query('select 1 as one')
  t.same(rows, [{ one: 1 }], 'PG wire answers')

  const mode = await execSql(qdb.httpUrl, "(show parameters) where property_path = 'cairo.commit.mode'")
  t.equal(mode.dataset[0][2], 'sync', 'commit mode defaults to sync')
  await access(join(dir, 'questdb', 'questdb.log'))
})

t.test('embedded - QuestDB honours a non-default commit mode', async (t) => {
  const { qdb } = await startQuestDbOnly(t, { commitMode: 'nosync' })
  const mode = await execSql(qdb.httpUrl, "(show parameters) where property_path = 'cairo.commit.mode'")
  t.equal(mode.dataset[0][2], 'nosync')
})

t.test('embedded - nats-server starts with JetStream enabled', async (t) => {
  const { nats } = await startNatsOnly(t)
  t.not(nats.port, 4222, 'never the shared NATS port')
  const nc = await connect({ servers: nats.url })
  t.teardown(() => nc.close())
  const info = await (await nc.jetstreamManager()).getAccountInfo()
  t.equal(info.streams, 0, 'a fresh JetStream account has no streams')
})

t.test('embedded - NATS restarted on the same port and store keeps its streams', async (t) => {
  const { nats, stopNats, restartNats } = await startNatsOnly(t)
  const before = await connect({ servers: nats.url })
  const jsm = await before.jetstreamManager()
  await jsm.streams.add({ name: 'EMBEDDED_T', subjects: ['embedded.t.>'] })
  await before.jetstream().publish('embedded.t.one', sc.encode('kept'))
  await before.close()

  await stopNats()
  t.notOk(await canConnect(nats.port), 'down while stopped')
  await restartNats()

  const after = await connect({ servers: nats.url })
  t.teardown(() => after.close())
  const jsm2 = await after.jetstreamManager()
  t.equal((await jsm2.streams.info('EMBEDDED_T')).state.messages, 1)
  t.equal(sc.decode((await jsm2.streams.getMessage('EMBEDDED_T', { seq: 1 })).data), 'kept')
})

t.test('embedded - startServices starts both and its teardown stops them and removes the directory', async (t) => {
  let seen: { http: number, pg: number, nats: number, dir: string } | undefined
  await t.test('inner', async (t) => {
    const s = await startServices(t)
    seen = { http: portOf(s.qdb.httpUrl), pg: portOf(s.qdb.pgUrl), nats: s.nats.port, dir: s.dir }
    t.ok(await canConnect(seen.http) && await canConnect(seen.pg) && await canConnect(seen.nats), 'all listening')
  })
  if (seen === undefined) return t.fail('inner test did not start services')
  for (const port of [seen.http, seen.pg, seen.nats]) t.notOk(await canConnect(port), `port ${port} is closed`)
  await t.rejects(access(seen.dir), { code: 'ENOENT' }, 'temp dir removed')
})

t.test('embedded - findJava prefers JAVA_HOME, else the newest JDK, and names what it saw', async (t) => {
  const jvmDir = await mkdtemp(join(tmpdir(), 'minewatch-jvm-'))
  t.teardown(() => rm(jvmDir, { recursive: true, force: true }))
  const fake = async (name: string, version: string) => {
    await mkdir(join(jvmDir, name, 'bin'), { recursive: true })
    const bin = join(jvmDir, name, 'bin', 'java')
    await writeFile(bin, `#!/bin/sh\necho 'openjdk version "${version}" 2026-01-01' >&2\n`)
    await chmod(bin, 0o755)
  }
  await Promise.all([fake('jdk-8', '1.8.0_392'), fake('jdk-17', '17.0.15'), fake('jdk-25', '25.0.3')])
  await mkdir(join(jvmDir, 'openjdk-17')) // Debian's source-only leftover: no bin/java

  t.equal((await findJava(17, { jvmDir, javaHome: undefined })).major, 25, 'newest wins when scanning')
  const pinned = await findJava(17, { jvmDir, javaHome: join(jvmDir, 'jdk-17') })
  t.same(pinned, { major: 17, home: join(jvmDir, 'jdk-17'), javaBin: join(jvmDir, 'jdk-17', 'bin', 'java') })
  t.equal((await findJava(21, { jvmDir, javaHome: join(jvmDir, 'jdk-17') })).major, 25, 'too-old JAVA_HOME skipped')
  await t.rejects(findJava(26, { jvmDir, javaHome: undefined, neededBy: 'QuestDB 10.0.0' }), {
    code: 'MW_ERR_EMBEDDED_START',
    message: /QuestDB 10\.0\.0 needs Java >= 26; looked at JAVA_HOME=\(unset\), .*jdk-25 \(Java 25\).*jdk-8 \(Java 8\).*openjdk-17 \(no bin\/java\); install a JDK or set JAVA_HOME/
  })
})

t.test('embedded - findJava with an impossible version names JAVA_HOME and /usr/lib/jvm', async (t) => {
  await t.rejects(findJava(99), { code: 'MW_ERR_EMBEDDED_START', message: /needs Java >= 99; looked at JAVA_HOME=.*\/usr\/lib\/jvm/ })
})

t.test('embedded - required Java follows the QuestDB version; java -version output is parsed', async (t) => {
  t.equal(requiredJavaFor('9.3.4'), 17)
  t.equal(requiredJavaFor('9.4.0'), 25)
  t.equal(requiredJavaFor('10.1.2'), 25)
  t.equal(parseJavaMajor('java version "1.8.0_392"'), 8)
  t.equal(parseJavaMajor('openjdk version "25" 2025-09-16'), 25)
  t.equal(parseJavaMajor('no version here'), undefined)
})
