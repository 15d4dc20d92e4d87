// alarms flow - what an outage does to alarms, against a real QuestDB and nats-server:
// (a) NATS down while an alarm is raised: the API shows it at once, JetStream gets each transition exactly
//     once when NATS is back;
// (b) the real server (node --import tsx src/main.ts) killed with SIGKILL and started again: the open alarm,
//     its seq and a pending dwell all survive, and nothing is raised twice.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AlarmMessage } from '../../src/contract/index.js'
import { freePort } from '../../src/tools/embedded/ports.js'
import { startServices, type TestLike } from '../helpers/services.js'
import { buildTestApp, TOKENS } from '../helpers/app.js'
import { alarmSchema, readStreamAt, type Stored } from '../helpers/alarm-watch.js'
import { fetchCall, injectCall, postReadings, registerCoSite } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV, tempDir } from '../helpers/rules.js'
import { untilOk } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** streamOf waits until the stream holds the site's transitions matching `done`, and returns them. */
async function streamOf (url: string, site: string, done: (msgs: Stored[]) => boolean, what: string, timeoutMs = 60_000): Promise<Stored[]> {
  return await untilOk(async () => {
    const msgs = (await readStreamAt(url)).filter((m) => m.body.siteCode === site)
    return done(msgs) ? msgs : undefined
  }, what, timeoutMs, 200)
}

const rulesDir = async (t: TestLike): Promise<string> => await coRulesDir(t, 'minewatch-outage-rules-', '2s')

t.test('alarms flow - NATS down while an alarm is raised: visible at once, delivered exactly once later', async (t) => {
  const SITE = 'OUT-1'
  const services = await startServices(t)
  const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, env: { MINEWATCH_RULES_DIR: await rulesDir(t), ...ENGINE_ENV } })
  const call = injectCall(app)
  const metric = async (name: string): Promise<number> => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
    const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))
    return line === undefined ? NaN : Number(line.split(' ').at(-1))
  }
  const validate = alarmSchema()
  // an underground site with CO points (intervalS 60: the no-data rules stay out of the way)
  await registerCoSite(t, call, SITE, ['CO-1'])
  const base = Date.now() - 5_000

  await services.stopNats()
  await postReadings(t, call, SITE, [{ point: 'CO-1', ts: base, value: 30 }, { point: 'CO-1', ts: base + 2000, value: 31 }])
  const listed = await untilOk(async () => {
    const res = await call('GET', `/v1/alarms?site=${SITE}`, 'operator')
    return res.body.alarms.length > 0 ? res.body.alarms : undefined
  }, 'the alarm in GET /v1/alarms', 60_000, 20)
  t.match(listed, [{ seq: 1, level: 'yellow', state: 'open', active: true, value: 31, startedAt: new Date(base).toISOString(), eventAt: new Date(base + 2000).toISOString() }], 'GET /v1/alarms shows the alarm while NATS is down')
  const alarmId: string = listed[0].alarmId
  await postReadings(t, call, SITE, [{ point: 'CO-1', ts: base + 3000, value: 200 }])
  await untilOk(async () => (await call('GET', `/v1/alarms/${alarmId}`, 'operator')).body.alarm.seq === 2 ? true : undefined, 'the escalation', 60_000, 20)
  t.match((await call('GET', `/v1/alarms/${alarmId}`, 'operator')).body.alarm, { seq: 2, level: 'red' }, 'and its escalation')
  await untilOk(async () => await metric('minewatch_alarm_outbox_pending') === 2 ? true : undefined, 'two transitions waiting in the outbox', 60_000)
  t.pass('both transitions wait in the outbox')

  await services.restartNats()
  const msgs = await streamOf(services.nats.url, SITE, (m) => m.length >= 2, 'both transitions in the stream')
  await untilOk(async () => await metric('minewatch_alarm_outbox_pending') === 0 ? true : undefined, 'an empty outbox', 60_000)
  // the outbox is empty and every publish acknowledged: nothing else can arrive now, so count
  const after = (await readStreamAt(services.nats.url)).filter((m) => m.body.siteCode === SITE)
  t.same(after.map((m) => m.msgId), [`${alarmId}:1`, `${alarmId}:2`], 'each transition exactly once, in order')
  t.same(msgs.map((m) => m.msgId), after.map((m) => m.msgId))
  t.same(after.map((m) => m.subject), [`minewatch.alarm.${SITE}.over_limit.yellow`, `minewatch.alarm.${SITE}.over_limit.red`])
  t.same(after.map((m) => m.body.transition), ['raised', 'escalated'])
  after.forEach((m) => t.ok(validate(m.body), `${m.msgId ?? ''} matches alarm-message.json`, { errors: validate.errors }))

  // and the live path works again
  await postReadings(t, call, SITE, [{ point: 'CO-1', ts: base + 4000, value: 5 }])
  const final = await streamOf(services.nats.url, SITE, (m) => m.length >= 3, 'the clear after the outage')
  t.same(final.map((m) => [m.msgId, m.body.transition]), [[`${alarmId}:1`, 'raised'], [`${alarmId}:2`, 'escalated'], [`${alarmId}:3`, 'cleared']])
})

// --- the real server as a child process ---

interface Server { url: string, child: ChildProcess, output: () => string, kill: () => Promise<void> }

async function startServer (t: TestLike, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // a clean environment: only what the server is told, not the test runner's loaders
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  t.teardown(kill)
  const url = `http://127.0.0.1:${env.PORT ?? ''}`
  await untilOk(async () => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`)
    const res = await fetch(`${url}/ready`).catch(() => undefined)
    return res?.status === 200 ? true : undefined
  }, `GET /ready of the server (output so far: ${out.slice(-2000)})`, 120_000, 200)
  return { url, child, output: () => out, kill }
}

t.test('alarms flow - the server killed and restarted keeps its open alarm, its seq and a pending dwell', async (t) => {
  const SITE = 'RST-1'
  const services = await startServices(t)
  const dataDir = await tempDir(t, 'minewatch-restart-data-')
  const tokensFile = join(dataDir, 'tokens.json')
  await writeFile(tokensFile, JSON.stringify([
    { token: TOKENS.admin, role: 'admin', sites: ['*'] },
    { token: TOKENS.operator, role: 'operator', sites: ['*'] },
    { token: TOKENS.gateway, role: 'gateway', sites: ['*'] }
  ]))
  const env = {
    QDB_HTTP: services.qdb.httpUrl,
    QDB_PG: services.qdb.pgUrl,
    NATS_URL: services.nats.url,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    MINEWATCH_TOKENS_FILE: tokensFile,
    MINEWATCH_DATA_DIR: dataDir,
    MINEWATCH_RULES_DIR: await rulesDir(t),
    LOG_LEVEL: 'warn',
    ...ENGINE_ENV
  }
  let server = await startServer(t, env)
  const call = fetchCall(() => server.url)
  const validate = alarmSchema()
  await registerCoSite(t, call, SITE, ['CO-1', 'CO-2', 'CO-3'])
  const base = Date.now() - 5_000

  // CO-1: an alarm raised before the kill
  await postReadings(t, call, SITE, [{ point: 'CO-1', ts: base, value: 30 }, { point: 'CO-1', ts: base + 2000, value: 31 }])
  const raised = (await streamOf(services.nats.url, SITE, (m) => m.length >= 1, 'the raise before the kill'))[0]
  t.ok(raised !== undefined && validate(raised.body), 'the raise matches alarm-message.json', { errors: validate.errors })
  const alarmId = raised?.body.alarmId as string
  t.match(raised, { msgId: `${alarmId}:1`, subject: `minewatch.alarm.${SITE}.over_limit.yellow`, body: { transition: 'raised', points: ['CO-1'], seq: 1 } })
  // CO-2: a dwell started (2 s needed, none elapsed yet)
  await postReadings(t, call, SITE, [{ point: 'CO-2', ts: base + 1000, value: 40 }])
  // CO-3: an alarm raised and acknowledged before the kill (its handling state and seq must survive too)
  await postReadings(t, call, SITE, [{ point: 'CO-3', ts: base, value: 60 }, { point: 'CO-3', ts: base + 2000, value: 61 }])
  const acked = (await streamOf(services.nats.url, SITE, (m) => m.some((x) => x.body.points[0] === 'CO-3'), 'the CO-3 raise')).find((x) => x.body.points[0] === 'CO-3')
  const ackedId = acked?.body.alarmId as string
  t.equal((await call('POST', `/v1/alarms/${ackedId}/ack`, 'operator', { by: '值班员A' })).status, 200, 'CO-3 acknowledged')
  await streamOf(services.nats.url, SITE, (m) => m.some((x) => x.msgId === `${ackedId}:2`), 'the CO-3 ack')

  await server.kill()
  t.equal(server.child.signalCode, 'SIGKILL', 'the server was killed, not shut down')
  server = await startServer(t, env)

  const open = await call('GET', '/v1/alarms?state=open', 'operator')
  t.equal(open.status, 200)
  const byPoint = (point: string): unknown => open.body.alarms.find((a: { points: string[] }) => a.points[0] === point)
  t.match(byPoint('CO-1'), { alarmId, seq: 1, state: 'open', active: true, level: 'yellow' }, 'the alarm is still open, same id')
  t.match(byPoint('CO-3'), { alarmId: ackedId, seq: 2, state: 'acknowledged', active: true, level: 'orange' }, 'the acknowledged one too')
  t.equal(open.body.alarms.length, 2)

  // a repeat above the limit raises nothing new; the CO-2 dwell resumes from the reading before the kill
  await postReadings(t, call, SITE, [{ point: 'CO-1', ts: base + 3000, value: 35 }])
  await postReadings(t, call, SITE, [{ point: 'CO-2', ts: base + 3000, value: 41 }])
  const withDwell = await streamOf(services.nats.url, SITE, (m) => m.some((x) => x.body.points[0] === 'CO-2'), 'the CO-2 raise after the restart')
    .catch((err: Error) => { t.fail(`the dwell pending at the kill did not resume: ${err.message}`); return [] })
  const co2 = withDwell.find((m) => m.body.points[0] === 'CO-2')
  if (co2 !== undefined) {
    t.match(co2.body, { transition: 'raised', seq: 1, value: 41, startedAt: new Date(base + 1000).toISOString(), eventAt: new Date(base + 3000).toISOString() }, 'the dwell counted the reading before the kill: it started then')
    t.not(co2.body.alarmId, alarmId)
  }

  await postReadings(t, call, SITE, [{ point: 'CO-1', ts: base + 4000, value: 5 }])
  const all = await streamOf(services.nats.url, SITE, (m) => m.some((x) => x.body.alarmId === alarmId && x.body.transition === 'cleared'), 'the clear of the same alarm')
  const first = all.filter((m) => m.body.alarmId === alarmId)
  t.same(first.map((m) => [m.msgId, m.body.transition]), [[`${alarmId}:1`, 'raised'], [`${alarmId}:2`, 'cleared']],
    'one raise (not republished twice, not raised again) and the clear with seq = previous + 1')
  t.equal(all.filter((m) => m.body.transition === 'raised' && m.body.points[0] === 'CO-1').length, 1, 'no second raise for CO-1')
  first.forEach((m) => t.ok(validate(m.body), `${m.msgId ?? ''} matches alarm-message.json`, { errors: validate.errors }))

  const detail = await call('GET', `/v1/alarms/${alarmId}`, 'operator')
  t.same(detail.body.history.map((h: AlarmMessage) => [h.seq, h.transition]), [[1, 'raised'], [2, 'cleared']], 'the audit trail agrees')

  // the acknowledged alarm clears from a reading older than the ack: the restored condition time is the
  // reading's, not the action's
  await postReadings(t, call, SITE, [{ point: 'CO-3', ts: base + 4000, value: 5 }])
  const co3 = (await streamOf(services.nats.url, SITE, (m) => m.some((x) => x.msgId === `${ackedId}:3`), 'the CO-3 clear')).filter((m) => m.body.alarmId === ackedId)
  t.same(co3.map((m) => [m.msgId, m.body.transition, m.body.state]), [[`${ackedId}:1`, 'raised', 'open'], [`${ackedId}:2`, 'acknowledged', 'acknowledged'], [`${ackedId}:3`, 'cleared', 'acknowledged']])
  t.notMatch(server.output(), /"level":(50|60)/, 'no error logged by the restarted server')
})
