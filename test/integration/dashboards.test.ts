// Every SQL query of every Grafana dashboard (grafana/dashboards/*.json, whoever added it) runs on real data: the
// simulated fleet with its scenarios, fed through the real server into a real QuestDB for a fixed window of 7 simulated
// hours (test/helpers/dashboard-fixture.ts). The queries of the template variables, of every panel and of the SQL
// annotations are expanded as Grafana would expand them when the dashboard opens with its default time range (its
// `time`, e.g. now-24h) at the end of that window (test/helpers/grafana-macros.ts: an unknown macro or variable
// fails), sent over the PG wire, and must succeed and return at least one row that is not all
// nulls; a time-series query must also return a `time` column in ascending order. A query using $__interval_ms runs
// at two intervals (test/helpers/dashboard-queries.ts), so both the raw-readings and the 5-minute-statistics
// branch of a trend run. Grafana itself cannot run here: the dashboards' shape is checked against the dashboard
// model of @grafana/schema by test/unit/dashboards-model.test.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createReader } from '../../src/3-store/reader.js'
import { CALIBRATION, EVIDENCE_EVENT, loadDashboardFixture } from '../helpers/dashboard-fixture.js'
import { defaultRange, runDashboard } from '../helpers/dashboard-queries.js'
import { usedMacros } from '../helpers/grafana-macros.js'
import { PHREATIC_RISE } from '../../src/tools/simulate/scenarios/phreatic-rise.js'
import { SLOPE_FAILURE } from '../../src/tools/simulate/scenarios/slope-failure.js'
import { CO_LEAK } from '../../src/tools/simulate/scenarios/co-leak.js'

const DASHBOARDS = join(import.meta.dirname, '../../grafana/dashboards')
const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json')).sort()

/**
 * PREFER: the value a single-valued variable takes when its options include it, in this order: the sites and
 * points the scenarios play on, so that a panel about an incident (a prediction, a roll-up colour) has one.
 */
const PREFER = [CO_LEAK.site, SLOPE_FAILURE.site, PHREATIC_RISE.site, SLOPE_FAILURE.point, PHREATIC_RISE.point, CALIBRATION.point]

t.setTimeout(30 * 60_000)

t.test('dashboards - every SQL query of every dashboard runs on the simulated fleet and returns rows', async (t) => {
  const fixture = await loadDashboardFixture(t)
  t.comment(`${files.length} dashboards: ${files.join(', ')}`)
  t.comment(`fixture: ${(fixture.to - fixture.from) / 3_600_000} h of the fleet (${new Date(fixture.from).toISOString()} .. ${new Date(fixture.to).toISOString()}) loaded in ${(fixture.loadMs / 1000).toFixed(0)} s; ` +
    `${fixture.run.alarms().length} alarm messages; duty room: ${fixture.handled.acknowledged} acknowledged, ${fixture.handled.dispatched} dispatched, ${fixture.handled.closed} closed`)
  t.same(fixture.handled.refused, [], 'every duty-room action was accepted')
  const reader = createReader(fixture.run.services.qdb.pgUrl)
  t.teardown(async () => await reader.close())
  const macros = new Set<string>()
  let runs = 0
  const began = Date.now()
  for (const file of files) {
    await t.test(file, async (t) => {
      const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Record<string, any>
      const rowsOf = new Map<string, Array<Record<string, unknown>>>()
      const range = defaultRange(dashboard, fixture.to)
      t.comment(`range ${dashboard.time.from} .. now, now = the end of the fixture: ${new Date(range.from).toISOString()} .. ${new Date(range.to).toISOString()}`)
      const { outcomes, vars } = await runDashboard(dashboard, range, async (sql) => {
        const rows = await reader.query(sql)
        rowsOf.set(sql, rows)
        return rows
      }, PREFER)
      t.comment(`variables: ${Object.entries(vars).map(([k, v]) => `${k} = ${v.values.length > 3 ? `${v.values.length} values` : v.values.join(',')}`).join('; ') || 'none'}`)
      for (const o of outcomes) {
        runs++
        for (const m of usedMacros(o.template)) macros.add(m)
        t.ok(o.error === undefined, `${file} ${o.where}${o.interval === undefined ? '' : ` (${o.interval})`}: ${o.error ?? `${String(o.rows)} rows`}`,
          o.error === undefined ? {} : { sql: o.sql })
      }
      // what the panels are for, beyond returning something
      if (dashboard.uid === 'minewatch-video') {
        const events = outcomes.find((o) => o.where.startsWith('panel "AI 识别事件与证据"'))
        const rows = rowsOf.get(events?.sql ?? '') ?? []
        t.ok(rows.some((r) => String(r['证据']).includes(`/${EVIDENCE_EVENT.site}/${EVIDENCE_EVENT.channel}/`) && /^[0-9a-f]{64}$/.test(String(r['SHA-256']))),
          'the AI event posted with evidence shows its snapshot link and SHA-256')
      }
      for (const v of dashboard.templating?.list ?? []) {
        if (v.name !== 'site' || v.type !== 'query') continue
        const o = outcomes.find((x) => x.where === 'variable site')
        const rows = rowsOf.get(o?.sql ?? '') ?? []
        const nameless = rows.filter((r) => !/\p{Script=Han}/u.test(String(r.__text))).map((r) => `${String(r.__value)}: ${String(r.__text)}`)
        t.ok(rows.length > 0 && nameless.length === 0, 'the site picker shows names (__text), not only codes', { nameless })
      }
    })
  }
  t.comment(`${runs} query runs in ${((Date.now() - began) / 1000).toFixed(1)} s; Grafana macros and built-ins used: ${[...macros].sort().join(', ')}`)
})
