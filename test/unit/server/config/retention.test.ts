// config retention - the standards' minimums are the floor of every retention setting (raw ≥ 30 days for hazchem,
// statistics and events ≥ 1 year, alarms kept or ≥ 1 year); the alarm stream outlives its duplicate window and the
// republish look-back; the schedule must be a cron expression. Each refusal names the variable.
import t from 'tap'
import { loadConfig } from '../../../../src/server/config/load.js'
import { policies } from '../../../../src/3-store/retention.js'

t.test('config retention - the defaults meet the standards and name every table but evidence and audit', async (t) => {
  const r = loadConfig({}).retention
  t.match(r, { rawDays: 90, statsMonths: 24, positionsDays: 90, heartbeatDays: 90, eventsDays: 730, alarmDays: 0, cron: '30 3 * * *', alarmStreamMaxAgeMs: 90 * 86_400_000 })
  const tables = policies(r).map((p) => p.table)
  t.same(tables.filter((x) => /evidence|audit/.test(x)), [], 'evidence and the audit trail have no policy: never dropped')
  t.ok(policies(r).find((p) => p.table === 'readings')?.archive !== undefined, 'raw readings are archived (tailings) before they go')
})

t.test('config retention - below a minimum is refused, naming the variable', async (t) => {
  for (const [name, value, pattern] of [
    ['MINEWATCH_RAW_RETENTION_DAYS', '7', /MINEWATCH_RAW_RETENTION_DAYS must be >= 30/],
    ['MINEWATCH_STATS_RETENTION_MONTHS', '6', /MINEWATCH_STATS_RETENTION_MONTHS must be >= 12/],
    ['MINEWATCH_EVENTS_RETENTION_DAYS', '100', /MINEWATCH_EVENTS_RETENTION_DAYS must be >= 365/],
    ['MINEWATCH_ALARM_RETENTION_DAYS', '100', /MINEWATCH_ALARM_RETENTION_DAYS must be 0 \(kept for good\) or at least 365/],
    ['MINEWATCH_ALARM_STREAM_MAX_AGE', '3d', /MINEWATCH_ALARM_STREAM_MAX_AGE must be at least/],
    ['MINEWATCH_RETENTION_CRON', 'every night', /MINEWATCH_RETENTION_CRON "every night" is not a cron expression/]
  ] as const) {
    t.throws(() => loadConfig({ [name]: value }), { code: 'MW_ERR_INVALID_CONFIG', message: pattern }, `${name}=${value}`)
  }
  t.equal(loadConfig({ MINEWATCH_ALARM_RETENTION_DAYS: '3650' }).retention.alarmDays, 3650, 'ten years is taken')
})
