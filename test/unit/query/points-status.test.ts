// Point link states from the open alarms: the site's link alarm marks every point offline under it, a point's own
// no-data alarm marks it, a cleared alarm does not, and a point never heard from is "never".
import t from 'tap'
import { pointStatuses, POINT_LINK_RULE, SITE_LINK_RULE } from '../../../src/query/points-status.js'
import { alarm } from '../5-alarm/fixtures.js'

const last = [{ point: 'P1', ts: 1000, value: 1.5 }, { point: 'P2', ts: 2000, value: 3 }]

t.test('points status - online, never, and a point\'s own no-data alarm', async (t) => {
  const own = alarm({ alarmId: 'A7', ruleId: POINT_LINK_RULE, points: ['P2'] })
  const s = pointStatuses(['P1', 'P2', 'P3'], last, [own, alarm({ alarmId: 'A8', ruleId: POINT_LINK_RULE, points: ['P1'], active: false })])
  t.equal(s.link, undefined)
  t.same(s.points, [
    { pointCode: 'P1', lastTs: 1000, value: 1.5, state: 'online' },
    { pointCode: 'P2', lastTs: 2000, value: 3, state: 'offline', alarmId: 'A7', because: 'no_data' },
    { pointCode: 'P3', lastTs: null, value: null, state: 'never' }
  ], 'a cleared no-data alarm does not hold P1 offline')
})

t.test('points status - a site link alarm holds every point offline under one alarm', async (t) => {
  const link = alarm({ alarmId: 'L1', ruleId: SITE_LINK_RULE, points: [] })
  const s = pointStatuses(['P1', 'P2', 'P3'], last, [link])
  t.equal(s.link?.alarmId, 'L1')
  t.same(s.points.map((p) => [p.pointCode, p.state, p.because, p.alarmId]), [['P1', 'offline', 'site_link', 'L1'], ['P2', 'offline', 'site_link', 'L1'], ['P3', 'offline', 'site_link', 'L1']])
})
