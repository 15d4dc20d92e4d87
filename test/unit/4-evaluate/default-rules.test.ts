import { join } from 'node:path'
import t from 'tap'
import { main } from '../../../src/tools/cli/rules-check.js'
import { loadRules } from '../../../src/4-evaluate/load-rules.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { harness, summary } from './harness.js'

const RULES_DIR = join(import.meta.dirname, '../../../rules')

t.test('engine - every file in rules/ loads without errors and every rule cites a source', async (t) => {
  const { rules, errors, files } = await loadRules(RULES_DIR)
  t.same(errors, [])
  t.ok(files.length >= 3)
  t.ok(rules.length >= 10)
  for (const r of rules) {
    t.ok(r.source.trim().length > 0, `${r.id} has a source`)
    t.ok(r.title.trim().length > 0, `${r.id} has a title`)
  }
  const ids = rules.map((r) => r.id)
  for (const id of ['gas.co.limit', 'gas.ch4.limit', 'gas.o2.low', 'connectivity.point.no_data', 'connectivity.site.no_data', 'device.sensor_fault', 'device.over_range', 'device.calibration']) {
    t.ok(ids.includes(id), `rules/ defines ${id}`)
  }
})

t.test('engine - the default rules on a coal mine: CH4 alarm and cut, point override for a return airway', async (t) => {
  const { rules } = await loadRules(RULES_DIR)
  const reg = testRegistry([site('C1', 'coal_mine')], [
    point('C1', 'T1', 'ch4', { location: '1201 工作面' }),
    point('C1', 'T2', 'ch4', { location: '1201 回风巷', limits: { upperAlarm: 1.0, upperCut: 1.0, upperRestore: 1.0 } })
  ])
  const h = harness(reg, [])
  h.engine.setRules(rules)
  h.read('C1', 'T1', 0, 1.2)
  h.read('C1', 'T1', 1_000, 1.6)
  h.read('C1', 'T1', 2_000, 0.95)
  h.read('C1', 'T1', 3_000, 0.85)
  h.read('C1', 'T2', 0, 1.0)
  t.same(summary(h.changes), [
    ['gas.ch4.limit|C1|T1', 'yellow', 0],
    ['gas.ch4.limit|C1|T1', 'red', 1_000],
    ['gas.ch4.limit|C1|T1', 'yellow', 2_000],
    ['gas.ch4.limit|C1|T1', null, 3_000],
    ['gas.ch4.limit|C1|T2', 'red', 0]
  ])
  t.equal(h.changes[1]?.message, 'T1（1201 工作面）CH4 1.6 % ≥ 1.5 %，升级为红色')
})

t.test('engine - rules-check prints errors with positions and exits 1, or a summary and 0', async (t) => {
  const lines: string[] = []
  const io = { out: (l: string) => lines.push(`out ${l}`), err: (l: string) => lines.push(`err ${l}`) }
  t.equal(await main([RULES_DIR], io), 0)
  t.match(lines, [/^out \d+ rules in \d+ files /])
  lines.length = 0
  t.equal(await main([join(import.meta.dirname, '../../fixtures/rules/invalid')], io), 1)
  t.match(lines[0], /^err test\/fixtures\/rules\/invalid\/a-schema\.yaml:11:9 \/groups\/0\/rules\/1\/source missing required property "source"$/)
  t.match(lines.at(-1), /^err 17 error\(s\) in /)
})
