// The KPI report's settings: the server heartbeat, the daily job's schedule and the zone of its days.
import t from 'tap'
import { loadConfig } from '../../../../src/server/config/load.js'

t.test('config - kpi defaults: a beat a minute, 00:05 every day, Beijing days', async (t) => {
  t.same(loadConfig({}).kpi, { heartbeatMs: 60_000, dailyCron: '5 0 * * *', timezone: 'Asia/Shanghai' })
})

t.test('config - kpi settings are read, and refused naming the variable', async (t) => {
  t.same(loadConfig({ MINEWATCH_SERVER_HEARTBEAT_S: '15', MINEWATCH_KPI_CRON: '0 1 * * *', MINEWATCH_KPI_TZ: 'Asia/Urumqi' }).kpi,
    { heartbeatMs: 15_000, dailyCron: '0 1 * * *', timezone: 'Asia/Urumqi' })
  for (const [name, value] of [
    ['MINEWATCH_SERVER_HEARTBEAT_S', '0'],
    ['MINEWATCH_SERVER_HEARTBEAT_S', '3601'],
    ['MINEWATCH_KPI_CRON', 'at midnight'],
    ['MINEWATCH_KPI_CRON', '61 0 * * *'],
    ['MINEWATCH_KPI_TZ', 'Mars/Olympus']
  ] as const) {
    t.throws(() => loadConfig({ [name]: value }), { code: 'MW_ERR_INVALID_CONFIG', message: new RegExp(name) }, `${name}=${value} is refused, naming the variable`)
  }
})
