// The rule-module seam: modules get their own rules bound, readings after the core kinds, non-reading
// inputs, the other modules' changes and the periodic check; a module that throws harms nobody else.
import t from 'tap'
import { MemoryRegistry } from '../../../src/registry/memory.js'
import { ruleRef } from '../../../src/4-evaluate/compile.js'
import { conditionChange } from '../../../src/4-evaluate/change.js'
import type { RuleModule } from '../../../src/4-evaluate/module.js'
import type { RuleDef, RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import type { Site, Point } from '../../../src/registry/types.js'
import { CO, def, harness } from './harness.js'

const site: Site = { code: 'S1', name: 'S1', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const point: Point = { site: 'S1', code: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 10, attributes: {}, definedAt: 0 }

const ECHO: RuleSpec = { id: 'test.echo', kind: 'echo', title: '回声', category: 'violation', source: 'test' }
const WATCH: RuleSpec = { id: 'test.watch', kind: 'watch', title: '监视', category: 'early_warning', source: 'test' }

// echo raises a condition per SOS card and counts what it is shown; watch raises when it sees echo's change
function modules (seen: { bound: string[], readings: number, checks: number }): RuleModule[] {
  const echo: RuleModule = {
    name: 'echo',
    kinds: { echo: { properties: {} } },
    create: () => {
      let rules: readonly RuleDef[] = []
      return {
        bind (own) { rules = own; seen.bound.push(...own.map((r) => r.id)); return own.map((r) => `${r.id}|S1|*`) },
        readings (rows) { seen.readings += rows.length },
        input (i, ctx) {
          if (i.type !== 'sos') return
          for (const r of rules) {
            const key = `${r.id}|${i.event.site}|card:${i.event.card}`
            ctx.emit(conditionChange({ key, ref: ruleRef(r), site }, undefined, { level: 'red', value: null, limit: null, eventTs: i.event.ts, late: false, message: 'sos' }))
          }
        },
        check () { seen.checks++ }
      }
    }
  }
  const watch: RuleModule = {
    name: 'watch',
    kinds: { watch: { properties: {} } },
    create: () => {
      let rules: readonly RuleDef[] = []
      return {
        bind (own) { rules = own; seen.bound.push(...own.map((r) => r.id)); return [] },
        change (c, ctx) {
          if (c.rule.ruleId !== 'test.echo') return
          for (const r of rules) ctx.emit(conditionChange({ key: `${r.id}|S1|*`, ref: ruleRef(r), site }, undefined, { level: 'blue', value: null, limit: null, eventTs: c.eventTs, late: false, message: 'seen' }))
        }
      }
    }
  }
  const broken: RuleModule = {
    name: 'broken',
    kinds: {},
    create: () => ({ bind: () => [], readings () { throw new Error('boom') }, input () { throw new Error('boom') } })
  }
  return [broken, echo, watch]
}

t.test('rule modules - each binds only its own kinds and sees readings, inputs, changes and checks', async (t) => {
  const seen = { bound: [] as string[], readings: 0, checks: 0 }
  const h = harness(new MemoryRegistry([site], [point]), [CO, ECHO, WATCH], { modules: modules(seen) })
  h.read('S1', 'CO-1', 1000, 30)
  h.read('S1', 'CO-1', 11_000, 30)
  h.engine.observe([{ type: 'sos', event: { site: 'S1', type: 'sos', card: 'C7', ts: 12_000, receivedAt: 12_000 } }])
  h.advanceTo(20_000)
  t.same(seen.bound.sort(), ['test.echo', 'test.watch'])
  t.equal(seen.readings, 2, 'both readings reached the module, although another module threw on them')
  t.equal(seen.checks, 4, 'the periodic check ran every 5 s')
  t.same(h.changes.map((c) => [c.key, c.level]), [
    ['gas.co.limit|S1|CO-1', 'yellow'],
    ['test.echo|S1|card:C7', 'red'],
    ['test.watch|S1|*', 'blue']
  ], 'core change, module change, and the change another module derived from it')
})

t.test('rule modules - handing the engine the same rules again rebinds nothing (the reload cron does it every 30 s)', async (t) => {
  const seen = { bound: [] as string[], readings: 0, checks: 0 }
  const h = harness(new MemoryRegistry([site], [point]), [CO, ECHO, WATCH], { modules: modules(seen) })
  h.read('S1', 'CO-1', 1000, 1)
  t.equal(seen.bound.length, 2, 'bound once')
  h.engine.setRules([CO, ECHO, WATCH].map(def))
  h.read('S1', 'CO-1', 2000, 1)
  t.equal(seen.bound.length, 2, 'same ids and versions: not bound again')
  h.engine.setRules([CO, { ...ECHO, title: '回声 2' }, WATCH].map(def))
  h.read('S1', 'CO-1', 3000, 1)
  t.equal(seen.bound.length, 4, 'a changed rule binds the modules afresh')
})
