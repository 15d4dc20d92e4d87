// /ready tells the truth (access standard section 8): 503 while QuestDB takes no writes (though it still answers
// queries), while it is gone, or while NATS is; 200 again as soon as each is back, without a restart of minewatch.
import t from 'tap'
import { startNatsOnly, startQuestDbOnly } from '../helpers/services.js'
import { startProxy } from '../helpers/proxy.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { walApplied } from '../helpers/wal.js'
import { until } from '../helpers/wait.js'

async function ready (app: Awaited<ReturnType<typeof buildTestApp>>): Promise<{ status: number, body: any }> {
  const res = await app.inject({ method: 'GET', url: '/ready' })
  return { status: res.statusCode, body: res.json() }
}

const now = (): number => Math.floor(Date.now() / 1000) * 1000 - 30_000

t.test('ready - QuestDB answers queries but takes no writes: POST is 503 with Retry-After, /ready 503 naming it; both recover', async (t) => {
  const [{ qdb }, nats] = await Promise.all([startQuestDbOnly(t), startNatsOnly(t)])
  const proxy = await startProxy(t, Number(new URL(qdb.httpUrl).port))
  const app = await buildTestApp(t, { qdb: { httpUrl: `http://127.0.0.1:${proxy.port}`, pgUrl: qdb.pgUrl }, nats: nats.nats })
  const post = async (value: number): Promise<{ statusCode: number, headers: Record<string, unknown>, json: () => any }> => await app.inject({
    method: 'POST', url: '/v1/readings', headers: auth('gateway'), payload: { siteCode: 'RD-Y', readings: [{ point: 'CO-1', ts: now() + value, value }] }
  })
  t.equal((await app.inject({ method: 'PUT', url: '/v1/sites/RD-Y', headers: auth('admin'), payload: { name: 'y', kind: 'underground', status: 'producing' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/sites/RD-Y/points', headers: auth('admin'), payload: [{ pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600 }] })).statusCode, 200)
  t.same(await ready(app), { status: 200, body: { status: 'ready', questdb: 'up', nats: 'up' } })

  await proxy.cut()
  const refused = await post(1)
  t.equal(refused.statusCode, 503, 'a write that cannot be stored now is 503: the gateway keeps it and resends')
  t.equal(refused.headers['retry-after'], '5')
  t.equal(refused.json().error, 'MW_ERR_STORAGE_UNAVAILABLE')
  const down = await ready(app)
  t.equal(down.status, 503)
  t.match(down.body, { status: 'not_ready', questdb: 'down', nats: 'up', detail: /^QuestDB answers queries but takes no writes: / })

  await proxy.restore()
  t.same(await ready(app), { status: 200, body: { status: 'ready', questdb: 'up', nats: 'up' } }, 'the probe over the writer\'s connection passes again')
  t.same((await post(2)).json(), { accepted: 1, rejected: [] })
  await walApplied(app.questdb.reader, ['readings'])
  const stored = await app.inject({ method: 'GET', url: '/v1/sites/RD-Y/points/CO-1/readings', headers: auth('operator') })
  t.same(stored.json().readings.map((r: { value: number }) => r.value), [2], 'the refused reading is not stored; the resent one is')
})

t.test('ready - NATS gone: 503 naming it, 200 once it is back', async (t) => {
  const [{ qdb }, nats] = await Promise.all([startQuestDbOnly(t), startNatsOnly(t)])
  const app = await buildTestApp(t, { qdb, nats: nats.nats })
  t.equal((await ready(app)).status, 200)
  await nats.stopNats()
  const down = await until(async () => { const r = await ready(app); return r.status === 503 ? r : undefined }, '/ready to notice NATS is gone', 60_000)
  t.same(down.body, { status: 'not_ready', questdb: 'up', nats: 'down' })
  await nats.restartNats()
  const up = await until(async () => { const r = await ready(app); return r.status === 200 ? r : undefined }, '/ready to notice NATS is back', 60_000)
  t.same(up.body, { status: 'ready', questdb: 'up', nats: 'up' })
})

t.test('ready - QuestDB gone: 503 naming it', async (t) => {
  const [{ qdb, stopQdb }, nats] = await Promise.all([startQuestDbOnly(t), startNatsOnly(t)])
  const app = await buildTestApp(t, { qdb, nats: nats.nats })
  t.equal((await ready(app)).status, 200)
  await stopQdb()
  t.same(await ready(app), { status: 503, body: { status: 'not_ready', questdb: 'down', nats: 'up' } })
})
