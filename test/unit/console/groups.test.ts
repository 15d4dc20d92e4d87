// console groups - the board's grouping, pure: a site whose link is down shows its link alarm leading the
// connectivity alarms of its points; a flooding site folds each rule's alarms into one row led by the loudest;
// everything else stays one row per alarm, in the order given.
import t from 'tap'
import { groupRows, SITE_LINK_RULE } from '../../../console/groups.js'
import type { Alarm, Level } from '../../../console/types.js'

let n = 0
function alarm (siteCode: string, ruleId: string, level: Level = 'yellow', points: string[] = [`P${n}`]): Alarm {
  n++
  return {
    alarmId: `A${n}`,
    seq: 1,
    state: 'open',
    active: true,
    category: 'fault',
    level,
    siteCode,
    points,
    ruleId,
    ruleVersion: 'v1',
    title: ruleId,
    message: '',
    value: null,
    limit: null,
    startedAt: new Date(n * 1000).toISOString(),
    detectedAt: new Date(n * 1000).toISOString(),
    hazardClause: null
  }
}
const ids = (rows: ReturnType<typeof groupRows>): string[] => rows.map((r) => r.kind === 'alarm' ? r.alarm.alarmId : `${r.key}:${r.head.alarmId}+${r.members.map((m) => m.alarmId).join(',')}`)

t.test('console groups - without a link alarm or a flood every alarm is its own row, in order', async (t) => {
  const list = [alarm('S1', 'gas.co.limit'), alarm('S1', 'connectivity.point.no_data'), alarm('S2', 'gas.co.limit')]
  t.same(ids(groupRows(list, new Set())), list.map((a) => a.alarmId))
})

t.test('console groups - a site link alarm leads its site\'s connectivity alarms, where the first of them stood', async (t) => {
  const point = alarm('S1', 'connectivity.point.no_data', 'yellow')
  const gas = alarm('S1', 'gas.co.limit', 'red')
  const link = alarm('S1', SITE_LINK_RULE, 'orange', [])
  const other = alarm('S2', 'connectivity.point.no_data')
  const rows = groupRows([gas, point, link, other], new Set())
  t.same(ids(rows), [gas.alarmId, `link|S1:${link.alarmId}+${point.alarmId}`, other.alarmId], 'the gas alarm stays apart; another site\'s point alarm too')
  t.match(rows[1], { kind: 'group', reason: 'link' })
})

t.test('console groups - a link alarm alone is still a group (its offline points are listed under it)', async (t) => {
  const link = alarm('S1', SITE_LINK_RULE, 'orange', [])
  t.same(ids(groupRows([link], new Set())), [`link|S1:${link.alarmId}+`])
})

t.test('console groups - a flooding site folds each rule with two or more alarms, led by the loudest', async (t) => {
  const a = alarm('F', 'gas.co.limit', 'yellow')
  const b = alarm('F', 'gas.co.limit', 'red')
  const c = alarm('F', 'gas.ch4.limit', 'blue')
  const d = alarm('F', 'gas.co.limit', 'yellow')
  const calm = alarm('Q', 'gas.co.limit')
  const calm2 = alarm('Q', 'gas.co.limit')
  const rows = groupRows([a, calm, b, c, calm2, d], new Set(['F']))
  t.same(ids(rows), [`flood|F|gas.co.limit:${b.alarmId}+${a.alarmId},${d.alarmId}`, calm.alarmId, c.alarmId, calm2.alarmId],
    'one row for the rule, where its first alarm stood; a single alarm of a rule and a calm site stay rows')
})

t.test('console groups - during a flood and an outage at once, connectivity alarms go under the link alarm', async (t) => {
  const link = alarm('F', SITE_LINK_RULE, 'orange', [])
  const p1 = alarm('F', 'connectivity.point.no_data')
  const p2 = alarm('F', 'connectivity.point.no_data')
  const g1 = alarm('F', 'gas.co.limit')
  const g2 = alarm('F', 'gas.co.limit')
  const rows = groupRows([link, p1, p2, g1, g2], new Set(['F']))
  t.same(ids(rows), [`link|F:${link.alarmId}+${p1.alarmId},${p2.alarmId}`, `flood|F|gas.co.limit:${g1.alarmId}+${g2.alarmId}`])
})
