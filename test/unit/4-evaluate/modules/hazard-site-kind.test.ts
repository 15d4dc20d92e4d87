// Metal/non-metal hazard clauses (矿安〔2022〕88号) do not go with alarms of coal mines: the default rules
// video.camera_tamper and connectivity.site.silent_producing raise at a coal mine with hazardClause null.
// (Rule tests compare rule, level, category and time only: the clause is checked here.)
import { join } from 'node:path'
import t from 'tap'
import { loadRules } from '../../../../src/4-evaluate/load-rules.js'
import { POWER } from '../../../../src/4-evaluate/modules/power/index.js'
import { VIDEO } from '../../../../src/4-evaluate/modules/video/index.js'
import type { RuleDef } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { harness } from '../harness.js'

const RULES_DIR = join(import.meta.dirname, '../../../../rules')
const MIN = 60_000
const site = (code: string, kind: Site['kind']): Site => ({ code, name: code, kind, status: 'producing', attributes: {}, updatedAt: 0, timeline: [] })
const point = (s: string): Point => ({ site: s, code: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 20, attributes: {}, definedAt: 0 })
const SITES = [site('U1', 'underground'), site('C1', 'coal_mine')]

async function rule (id: string): Promise<RuleDef> {
  const { rules, errors } = await loadRules(RULES_DIR)
  t.same(errors, [])
  const r = rules.find((x) => x.id === id)
  if (r === undefined) throw new Error(`no rule ${id}`)
  return r
}

t.test('hazard clause - repeated camera tampering carries the metal/non-metal clause underground, none at a coal mine', async (t) => {
  const h = harness(new MemoryRegistry(SITES), [], { modules: [VIDEO] })
  h.engine.setRules([await rule('video.camera_tamper')])
  for (const [i, ts] of [MIN, 2 * MIN, 3 * MIN].entries()) {
    h.advanceTo(ts)
    for (const s of ['U1', 'C1']) h.engine.observe([{ type: 'video_event', event: { site: s, channel: `V0${i}`, type: 'camera_tamper', confidence: 0.9, ts, receivedAt: ts } }])
  }
  const orange = h.changes.filter((c) => c.level === 'orange')
  t.same(orange.map((c) => [c.siteCode, c.rule.hazardClause === null]), [['U1', false], ['C1', true]])
  t.match(orange[0]?.rule.hazardClause, /矿安〔2022〕88号/)
})

t.test('hazard clause - a producing site\'s silence carries the metal/non-metal clause underground, none at a coal mine', async (t) => {
  const h = harness(new MemoryRegistry(SITES, SITES.map((s) => point(s.code))), [], { modules: [POWER], offlineCheckMs: MIN })
  h.engine.setRules([await rule('connectivity.site.silent_producing')])
  for (const s of ['U1', 'C1']) h.read(s, 'CO-1', 0, 1)
  h.advanceTo(62 * MIN)
  t.same(h.changes.map((c) => [c.siteCode, c.level, c.rule.hazardClause === null]), [['U1', 'red', false], ['C1', 'red', true]])
  t.match(h.changes[0]?.rule.hazardClause, /矿安〔2022〕88号/)
})
