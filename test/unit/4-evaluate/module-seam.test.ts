// The one seam for rule kinds: per-reading hooks interleave across modules in module order, every kind
// (threshold, no_data and device_status included) comes from a module, and the pieces the per-point
// modules share (binding site by site, the fixed channel view) behave.
import t from 'tap'
import { fixedChannels } from '../../../src/4-evaluate/channels.js'
import type { RuleModule } from '../../../src/4-evaluate/module.js'
import { MODULES, moduleOfKind } from '../../../src/4-evaluate/modules/index.js'
import { eachSiteRule } from '../../../src/4-evaluate/modules/shared/bind-points.js'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { ruleFileWithModules } from '../../../src/4-evaluate/schema-check.js'
import { MemoryRegistry } from '../../../src/registry/memory.js'
import type { Point, Site } from '../../../src/registry/types.js'
import type { Quantity } from '../../../src/contract/index.js'
import { def, harness } from './harness.js'

const site = (code: string): Site => ({ code, name: code, kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] })
const point = (s: string, code: string, quantity: Quantity = 'co'): Point => ({ site: s, code, quantity, unit: 'ppm', kind: 'analog', intervalS: 10, attributes: {}, definedAt: 0 })

// a module whose `reading` logs each reading it sees and says it skipped readings at or before `skipUpTo`
function tracer (name: string, log: string[], skipUpTo = -1, throws = false): RuleModule {
  return {
    name,
    kinds: {},
    create: () => ({
      bind: () => [],
      reading (row) {
        if (throws) throw new Error('boom')
        log.push(`${name}@${row.ts}`)
        return row.ts <= skipUpTo
      },
      readings (rows) { log.push(`${name}:batch(${rows.length})`) }
    })
  }
}

t.test('module seam - each reading goes through every reading hook in module order, before any batch hook', async (t) => {
  const log: string[] = []
  const h = harness(new MemoryRegistry([site('S1')], [point('S1', 'CO-1')]), [], { modules: [tracer('a', log), tracer('broken', log, -1, true), tracer('b', log)] })
  h.engine.ingest([{ site: 'S1', point: 'CO-1', ts: 2000, value: 1, status: 0, receivedAt: 2000 }, { site: 'S1', point: 'CO-1', ts: 1000, value: 1, status: 0, receivedAt: 2000 }])
  t.same(log, ['a@1000', 'b@1000', 'a@2000', 'b@2000', 'a:batch(2)', 'broken:batch(2)', 'b:batch(2)'], 'in event-time order; a throwing module stops nobody')
})

t.test('module seam - a reading several modules skip is one reading out of order', async (t) => {
  const log: string[] = []
  const h = harness(new MemoryRegistry([site('S1')], [point('S1', 'CO-1')]), [], { modules: [tracer('a', log, 1000), tracer('b', log, 1000)] })
  h.engine.ingest([{ site: 'S1', point: 'CO-1', ts: 1000, value: 1, status: 0, receivedAt: 1000 }, { site: 'S1', point: 'CO-1', ts: 2000, value: 1, status: 0, receivedAt: 2000 }])
  t.equal(h.engine.stats().outOfOrder, 1)
})

t.test('module seam - every kind, the per-point ones too, comes from exactly one module', async (t) => {
  const schema = ruleFileWithModules() as { definitions: { rule: { properties: { kind: { enum: string[] } }, allOf: unknown[] } } }
  const kinds = schema.definitions.rule.properties.kind.enum
  t.same(kinds.slice(0, 3), ['device_status', 'threshold', 'no_data'], 'the per-point kinds first, in evaluation order')
  t.equal(new Set(kinds).size, kinds.length, 'no kind is declared twice')
  t.equal(schema.definitions.rule.allOf.length, kinds.length, 'each kind brings its fields')
  for (const kind of kinds) t.ok(MODULES.includes(moduleOfKind(kind) as RuleModule), kind)
})

t.test('module seam - per-point rules bind site by site, rule by rule, with the points each matches', async (t) => {
  const reg = new MemoryRegistry([site('S1'), site('S2'), site('S3')], [point('S1', 'CO-1'), point('S1', 'CH4-1', 'ch4'), point('S2', 'CO-2')])
  const rule = (id: string, quantity: Quantity): RuleSpec => ({ id, kind: 'threshold', title: id, category: 'over_limit', source: 'test', match: { quantity: [quantity] } })
  const seen: string[] = []
  eachSiteRule([def(rule('r.co', 'co')), def(rule('r.ch4', 'ch4'))], reg, (r, s, points) => seen.push(`${s.code}:${r.id}:${points.map((p) => p.code).join(',')}`))
  t.same(seen, ['S1:r.co:CO-1', 'S1:r.ch4:CH4-1', 'S2:r.co:CO-2', 'S2:r.ch4:'], 'S3 has no points; a site rule may match none')
})

t.test('module seam - a fixed channel view finds channels by site and code; a later definition wins', async (t) => {
  const view = fixedChannels([
    { site: 'S1', code: 'V01', name: 'old', definedAt: 0 },
    { site: 'S1', code: 'V02', name: 'belt', definedAt: 0 },
    { site: 'S1', code: 'V01', name: 'shaft', definedAt: 1 }
  ])
  t.equal(view.channel('S1', 'V01')?.name, 'shaft')
  t.same(view.channelsOf('S1').map((c) => c.name), ['shaft', 'belt'])
  t.same(view.channelsOf('S2'), [])
  t.equal(fixedChannels().channel('S1', 'V01'), undefined)
})
