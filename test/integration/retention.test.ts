// retention - against a real QuestDB: partitions older than a table's retention are dropped and logged, the
// newest kept; a tailings pond's raw readings are archived into readings_archive before their partitions go
// (another site's are not); alarm transitions stay unless a retention is set (then dropped with a warning);
// evidence is never touched; a second run drops nothing; readings lose their old table TTL.
import t from 'tap'
import { startQuestDbOnly } from '../helpers/services.js'
import { createReader } from '../../src/3-store/reader.js'
import { migrate } from '../../src/3-store/migrate.js'
import { migrationsDir } from '../../src/3-store/paths.js'
import { walApplied } from '../../src/3-store/wal.js'
import { applyRetention } from '../../src/3-store/retention.js'
import { sqlTimestamp } from '../../src/3-store/types.js'
import type { Log } from '../../src/lib/log.js'
import type { Config } from '../../src/server/config/load.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 11, 6, 12)
const RETENTION: Config['retention'] = { rawDays: 90, statsMonths: 24, positionsDays: 90, heartbeatDays: 90, eventsDays: 730, alarmDays: 0, cron: '30 3 * * *', alarmStreamMaxAgeMs: 90 * DAY }

function recordingLog (): Log & { lines: Array<{ level: string, obj: any, msg: string }> } {
  const lines: Array<{ level: string, obj: any, msg: string }> = []
  const at = (level: string) => (obj: object, msg: string): void => { lines.push({ level, obj, msg }) }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

t.test('retention - against a real QuestDB', async (t) => {
  const { qdb } = await startQuestDbOnly(t)
  const reader = createReader(qdb.pgUrl)
  t.teardown(async () => await reader.close())
  await migrate(reader, migrationsDir())
  const ts = (daysAgo: number): string => sqlTimestamp(NOW - daysAgo * DAY)
  await reader.query(`INSERT INTO sites (site, name, kind, ts) VALUES ('TP-1', '尾矿库', 'tailings_pond', ${ts(400)}), ('UG-1', '井工矿', 'underground', ${ts(400)})`)
  for (const site of ['TP-1', 'UG-1']) {
    for (const daysAgo of [120, 100, 1]) {
      await reader.query(`INSERT INTO readings (site, point, value, status, received_at, ts) VALUES ('${site}', 'P-1', ${daysAgo}, 0, ${ts(daysAgo)}, ${ts(daysAgo)}), ('${site}', 'P-2', ${daysAgo}, 0, ${ts(daysAgo)}, ${ts(daysAgo)})`)
    }
  }
  await reader.query(`INSERT INTO personnel_snapshots (site, card, ts) VALUES ('UG-1', 'C1', ${ts(200)}), ('UG-1', 'C1', ${ts(1)})`)
  await reader.query(`INSERT INTO alarm_transitions (alarm_id, seq, site, ts) VALUES ('A-OLD', 1, 'UG-1', ${ts(800)}), ('A-NEW', 1, 'UG-1', ${ts(1)})`)
  await reader.query(`INSERT INTO evidence (seq, alarm_id, ts) VALUES (1, 'A-OLD', ${ts(3000)}), (2, 'A-NEW', ${ts(1)})`)
  const tables = ['sites', 'readings', 'personnel_snapshots', 'alarm_transitions', 'evidence']
  if (!await walApplied(reader, tables, { timeoutMs: 30_000 })) throw new Error('QuestDB did not apply the fixture')
  const count = async (sql: string): Promise<number> => Number((await reader.query<{ n: number }>(sql))[0]?.n ?? -1)

  const log = recordingLog()
  const first = await applyRetention(reader, RETENTION, NOW, log)
  const readings = first.find((o) => o.table === 'readings')
  t.same(readings?.dropped.length, 2, 'the two raw partitions older than 90 days are dropped')
  t.equal(readings?.archived, 4, 'the tailings pond\'s 4 readings in them are archived first')
  await walApplied(reader, ['readings', 'readings_archive'], { timeoutMs: 30_000 })
  t.same(await reader.query('SELECT site, point, value FROM readings_archive ORDER BY ts, point'), [
    { site: 'TP-1', point: 'P-1', value: 120 }, { site: 'TP-1', point: 'P-2', value: 120 }, { site: 'TP-1', point: 'P-1', value: 100 }, { site: 'TP-1', point: 'P-2', value: 100 }
  ], 'only the tailings pond\'s, with their values')
  t.same(await reader.query('SELECT site, count() n FROM readings ORDER BY site'), [{ site: 'TP-1', n: 2 }, { site: 'UG-1', n: 2 }], 'the recent readings of both sites stay')
  t.equal(await count('SELECT count() n FROM personnel_snapshots'), 1, 'an old position snapshot goes (90 days)')
  t.equal(await count('SELECT count() n FROM alarm_transitions'), 2, 'alarm transitions are kept (no alarm retention set)')
  t.equal(await count('SELECT count() n FROM evidence'), 2, 'evidence is never dropped, however old')
  const logged = log.lines.find((l) => l.msg === 'retention: partitions dropped' && l.obj.table === 'readings')
  t.match(logged?.obj, { retentionDays: 90, archived: 4 }, 'the drop is logged with the partitions and the archived count')
  t.equal(logged?.obj.dropped.length, 2)
  const ttl = await reader.query<{ ttlValue: number }>("SELECT ttlValue FROM tables() WHERE table_name = 'readings'")
  t.equal(ttl[0]?.ttlValue, 0, 'readings have no table TTL of their own any more (it would drop tailings readings unarchived)')

  const again = await applyRetention(reader, RETENTION, NOW, recordingLog())
  t.same(again.filter((o) => o.dropped.length > 0), [], 'a second run drops nothing')

  const strict = recordingLog()
  const alarms = await applyRetention(reader, { ...RETENTION, alarmDays: 365 }, NOW, strict)
  t.equal(alarms.find((o) => o.table === 'alarm_transitions')?.dropped.length, 1, 'with an alarm retention of a year, the 800-day-old partition goes')
  await walApplied(reader, ['alarm_transitions'], { timeoutMs: 30_000 })
  t.same(await reader.query('SELECT alarm_id FROM alarm_transitions'), [{ alarm_id: 'A-NEW' }])
  t.ok(strict.lines.some((l) => l.level === 'warn' && l.obj.table === 'alarm_transitions'), 'and it is a warning, never silent')
})
