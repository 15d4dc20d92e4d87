// The video module on the site's event time line: AI conditions expire by the site's own event times, not
// the server clock (a box delivering its events 40 min late), and each tamper rule keeps its own repeat count.
import t from 'tap'
import { VIDEO } from '../../../../src/4-evaluate/modules/video/index.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Site } from '../../../../src/registry/types.js'
import type { VideoEventRow } from '../../../../src/1-ingest/video/types.js'
import { harness, summary, type Harness } from '../harness.js'

const MIN = 60_000
const SITE: Site = { code: 'S1', name: 'S1', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const SMOKE: RuleSpec = { id: 'v.smoke', kind: 'video_event', title: '烟火', category: 'early_warning', source: 'test', eventType: 'smoke_fire', level: 'red', clearAfter: '10m' }
const KEY = 'v.smoke|S1|channel:V01'

function event (h: Harness, e: Partial<VideoEventRow> & { ts: number }): void {
  h.engine.observe([{ type: 'video_event', event: { site: 'S1', channel: 'V01', type: 'smoke_fire', confidence: 0.9, receivedAt: h.scheduler.now(), ...e } }])
}

t.test('video - a smoke event delivered 40 min late stays raised until the site\'s own time line passes its quiet period', async (t) => {
  const h = harness(new MemoryRegistry([SITE]), [SMOKE], { modules: [VIDEO], offlineCheckMs: 5_000 })
  h.advanceTo(40 * MIN)
  event(h, { ts: 0 })
  t.same(summary(h.changes), [[KEY, 'red', 0]])
  t.equal(h.changes[0]?.late, true, 'decided from an event 40 min old')
  h.advanceTo(40 * MIN + 10_000)
  t.equal(h.changes.length, 1, 'not cleared at the next check: on the server clock it is 40 min old, on the site\'s line it just happened')
  h.advanceTo(49 * MIN)
  t.equal(h.changes.length, 1, 'the site\'s line has moved on 9 min only')
  h.advanceTo(50 * MIN + 5_000)
  t.same(summary(h.changes), [[KEY, 'red', 0], [KEY, null, 10 * MIN]], 'cleared once the line passed the event + clearAfter, dated on the event\'s line')
})

t.test('video - a late backlog moves the site\'s time line with its own events', async (t) => {
  const h = harness(new MemoryRegistry([SITE]), [SMOKE], { modules: [VIDEO], offlineCheckMs: 5_000 })
  h.advanceTo(40 * MIN)
  event(h, { ts: 0 })
  event(h, { ts: 5 * MIN })
  h.advanceTo(40 * MIN + 10_000)
  t.same(summary(h.changes), [[KEY, 'red', 0]], 'the second smoke event extends the run')
  event(h, { ts: 16 * MIN, type: 'person_count', count: 3 })
  h.advanceTo(40 * MIN + 20_000)
  t.same(summary(h.changes), [[KEY, 'red', 0], [KEY, null, 15 * MIN]], 'an event of the site at 16 min shows 10 quiet minutes after the last smoke')
})

t.test('video - each tamper rule counts its own repeats', async (t) => {
  const rule = (id: string, count: number): RuleSpec => ({ id, kind: 'video_camera_tamper', title: '遮挡', category: 'fault', source: 'test', hazardClause: '关闭、破坏监测系统', clearAfter: '1h', repeat: { count, within: '1h', level: 'orange' } })
  const h = harness(new MemoryRegistry([SITE]), [rule('v.t2', 2), rule('v.t3', 3)], { modules: [VIDEO], offlineCheckMs: 5_000 })
  h.advanceTo(MIN)
  event(h, { ts: MIN, type: 'camera_tamper' })
  h.advanceTo(2 * MIN)
  event(h, { ts: 2 * MIN, type: 'camera_tamper' })
  t.same(h.changes.map((c) => [c.key, c.level, c.value]), [
    ['v.t2|S1|channel:V01', 'yellow', 1],
    ['v.t3|S1|channel:V01', 'yellow', 1],
    ['v.t2|S1|channel:V01', 'orange', 2]
  ], 'the second event is the second of each rule, not the fourth of the site')
})
