// The personnel and video rules end to end, through the real app against a real QuestDB and nats-server:
// an SOS posted over HTTP is published on NATS as personnel.sos red (the time it took is recorded), and an AI
// no_helmet event is published as video.ai.no_helmet with its snapshot reference kept with the alarm
// (GET /v1/alarms/{id} and the alarm_transitions row). Rules: copies of rules/personnel.yaml and video.yaml.
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { AlarmLedger, AlarmWatch, alarmCheck } from '../helpers/alarm-watch.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { ENGINE_ENV, tempDir } from '../helpers/rules.js'
import { startServices } from '../helpers/services.js'
import { untilOk } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SITE = 'PR-1'
const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

const rulesDir = await tempDir(t, 'minewatch-personnel-rules-')
for (const f of ['personnel.yaml', 'video.yaml']) await copyFile(join(ROOT, 'rules', f), join(rulesDir, f))
const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env: { MINEWATCH_RULES_DIR: rulesDir, ...ENGINE_ENV } })
const ledger = AlarmLedger.attach(t, app)
const watch = await AlarmWatch.open(svc.nats.url)
t.teardown(() => watch.close())

async function req (method: 'GET' | 'POST' | 'PUT', url: string, role: 'admin' | 'gateway' | 'operator', payload?: unknown): Promise<{ statusCode: number, json: () => any, body: string }> {
  return await app.inject({ method, url, headers: auth(role), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })
}

async function ok (method: 'PUT' | 'POST', url: string, role: 'admin' | 'gateway', payload: unknown): Promise<void> {
  const res = await req(method, url, role, payload)
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
}

const now = (): number => Math.floor(Date.now() / 1000) * 1000
await ok('PUT', `/v1/sites/${SITE}`, 'admin', { name: '测试矿山 PR-1', kind: 'underground', status: 'producing' })
await ok('PUT', `/v1/sites/${SITE}/video/channels`, 'admin', [{ channelCode: 'V01', name: '主井口' }])
await ok('POST', '/v1/video/heartbeats', 'gateway', { siteCode: SITE, ts: now(), channels: [{ channelCode: 'V01', online: true }] })
await ok('POST', `/v1/sites/${SITE}/personnel`, 'gateway', {
  ts: now(),
  people: [{ card: 'C0001', role: 'leader', area: 'A1', enteredAt: now() - 3_600_000 }, { card: 'C0042', name: '张三', role: 'worker', area: 'A3', enteredAt: now() - 3_600_000 }]
})

t.test('personnel rules - an SOS posted over HTTP is published as personnel.sos red', async (t) => {
  const ts = now()
  const started = Date.now()
  await ok('POST', `/v1/sites/${SITE}/personnel/events`, 'gateway', { type: 'sos', card: 'C0042', ts, area: 'A3' })
  const seen = await watch.waitFor((s) => s.body.ruleId === 'personnel.sos' && s.body.transition === 'raised', 'personnel.sos raised')
  t.equal(seen.subject, `minewatch.alarm.${SITE}.early_warning.red`)
  t.match(seen.body, { level: 'red', siteCode: SITE, category: 'early_warning', startedAt: new Date(ts).toISOString(), message: /C0042 在区域 A3 发出求救信号/ })
  alarmCheck(t)(seen.body, 'the SOS message')
  // recorded, not asserted: latency is the bench's business, a loaded machine is slow, not wrong
  t.comment(`SOS published ${seen.at - started} ms after the POST started`)
})

t.test('video rules - an AI no_helmet event is published with its evidence reference kept with the alarm', async (t) => {
  const ts = now()
  await ok('POST', '/v1/video/events', 'gateway', {
    siteCode: SITE,
    events: [{ channel: 'V01', ts, type: 'no_helmet', confidence: 0.93, count: 1, evidence: { sha256: SHA, url: 'http://nvr.local/snap/123.jpg' } }]
  })
  const seen = await watch.waitFor((s) => s.body.ruleId === 'video.ai.no_helmet' && s.body.transition === 'raised', 'video.ai.no_helmet raised')
  t.equal(seen.subject, `minewatch.alarm.${SITE}.violation.yellow`)
  alarmCheck(t)(seen.body, 'the no_helmet message')
  const attachment = { kind: 'video', site: SITE, channel: 'V01', type: 'no_helmet', ts: new Date(ts).toISOString(), confidence: 0.93, count: 1, sha256: SHA, url: 'http://nvr.local/snap/123.jpg' }
  const detail = await req('GET', `/v1/alarms/${seen.body.alarmId}`, 'operator')
  t.equal(detail.statusCode, 200)
  t.same(detail.json().attachments, [attachment], 'GET /v1/alarms/{id} shows the snapshot reference')
  t.same(detail.json().evidence, [], 'no readings behind an AI alarm')
  // durable: the audit row in QuestDB carries it, so a restart or another reader sees the same
  const row = await untilOk(async () => {
    const rows = await app.questdb.reader.query<{ evidence: string | null }>('select evidence from alarm_transitions where alarm_id = $1', [seen.body.alarmId])
    return rows[0]?.evidence ?? undefined
  }, 'the stored transition', 60_000)
  t.match(JSON.parse(row), { readings: [], attachments: [{ sha256: SHA, url: 'http://nvr.local/snap/123.jpg', channel: 'V01', type: 'no_helmet' }] })
  // every transition the alarm service made has arrived (the two above prove the watch hears them): nothing else was
  await ledger.settled(watch)
  t.same(watch.forSite(SITE).map((s) => s.body.ruleId).sort(), ['personnel.sos', 'video.ai.no_helmet'], 'nothing else was raised at the site')
})
