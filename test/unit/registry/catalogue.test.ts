// The quantity catalogue: complete over the quantity codes of the contract, naming only rules that exist,
// and accepting every point the simulator and the benchmark register (so the registry check breaks neither).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Ajv } from 'ajv'
import { buildFleet as benchFleet } from '../../../bench/fleet.js'
import type { PointDefinition, Quantity } from '../../../src/contract/index.js'
import { effectiveStatus } from '../../../src/4-evaluate/steps/device-status.js'
import { loadRules } from '../../../src/4-evaluate/load-rules.js'
import { CATALOGUE_FILE, loadCatalogue, pointCatalogueIssues, validRangeOf } from '../../../src/registry/catalogue.js'
import { toPoint } from '../../../src/registry/store.js'
import { buildFleet, fleetPoints } from '../../../src/tools/simulate/fleet/index.js'

const ROOT = join(import.meta.dirname, '../../..')
const read = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, 'schemas', f), 'utf8')) as Record<string, unknown>
const QUANTITIES = read('quantities.json').enum as Quantity[]
const catalogue = loadCatalogue()

t.test('catalogue - the file validates against its schema', async (t) => {
  const ajv = new Ajv({ allErrors: true, strict: false })
  ajv.addSchema(read('quantities.json'))
  const validate = ajv.compile(read('quantity-catalogue.schema.json'))
  const doc = JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8'))
  t.ok(validate(doc), JSON.stringify(validate.errors))
  t.notOk(validate({ quantities: { radon: { name: '氡', units: ['Bq/m³'], kind: 'analog', validRange: [0, 1], rules: [] } } }), 'an unknown quantity code is refused')
})

t.test('catalogue - every quantity code of quantities.json has an entry with a sane range', async (t) => {
  const missing = QUANTITIES.filter((q) => !catalogue.has(q))
  t.same(missing, [], 'no quantity lacks a catalogue entry')
  t.same([...catalogue.keys()].filter((q) => !QUANTITIES.includes(q)), [], 'no entry for an unknown quantity')
  for (const [q, e] of catalogue) t.ok(e.validRange[0] < e.validRange[1], `${q}: valid range ${e.validRange.join('..')} is ordered`)
})

t.test('catalogue - every rule id an entry names exists in rules/ and matches that quantity', async (t) => {
  const { rules, errors } = await loadRules(join(ROOT, 'rules'))
  t.same(errors, [])
  const byId = new Map(rules.map((r) => [r.id, r]))
  const named = [...catalogue].flatMap(([q, e]) => e.rules.map((id) => ({ q, id, rule: byId.get(id) })))
  t.ok(named.length >= 40, `${named.length} (quantity, rule) pairs named by the catalogue`)
  t.same(named.filter((n) => n.rule === undefined).map((n) => `${n.q}: ${n.id}`), [], 'every rule named exists in rules/')
  // every rule the catalogue names matches on quantity, so each pair is checked (none passes for lack of a matcher)
  t.same(named.filter((n) => n.rule !== undefined && !(n.rule.match?.quantity ?? []).includes(n.q)).map((n) => `${n.q}: ${n.id}`), [],
    'and matches that quantity')
})

t.test('catalogue - accepts every point of the simulated fleet and of the benchmark fleet', async (t) => {
  const fleet = fleetPoints(buildFleet()).map((p) => p.def)
  const bench = benchFleet(400, 2).flatMap((s) => s.points)
    .map((p): PointDefinition => ({ pointCode: p.code, quantity: p.quantity as Quantity, unit: p.unit, kind: 'analog', intervalS: 20 }))
  const refused = [...fleet, ...bench].flatMap((d, i) => pointCatalogueIssues(d, i).map((e) => `${d.pointCode}: ${e.message}`))
  t.same(refused, [])
})

t.test('catalogue - a wrong unit or kind names the item index and the field', async (t) => {
  const co: PointDefinition = { pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 20 }
  t.same(pointCatalogueIssues(co, 0), [])
  t.same(pointCatalogueIssues({ ...co, unit: 'mg/m³' }, 3), [
    { index: 3, path: '/3/unit', message: 'unit "mg/m³" is not accepted for co (一氧化碳): use "ppm"' }
  ])
  t.same(pointCatalogueIssues({ ...co, quantity: 'fan_status', unit: 'on/off', kind: 'analog' }, 1), [
    { index: 1, path: '/1/kind', message: 'kind "analog" is not accepted for fan_status (风机开停): it is switch' }
  ])
  t.equal(pointCatalogueIssues({ ...co, quantity: 'dust', unit: 'mg/m3' }, 0).length, 0, 'a spelling of the canonical unit is accepted')
})

t.test('catalogue - a point without range is over-range outside its quantity\'s valid range (DQ-1)', async (t) => {
  const bare = toPoint('S', { pointCode: 'CH4-1', quantity: 'ch4', unit: '%', kind: 'analog', intervalS: 10 }, 0)
  t.same(bare.validRange, validRangeOf('ch4'))
  t.equal(effectiveStatus(0, 100, bare), 0, 'the upper bound itself is valid')
  t.equal(effectiveStatus(0, 100.5, bare), 8, 'beyond the valid range sets bit 8')
  t.equal(effectiveStatus(4, -1, bare), 12, 'below it too, keeping the other bits')
  const ranged = toPoint('S', { pointCode: 'CH4-2', quantity: 'ch4', unit: '%', kind: 'analog', intervalS: 10, range: [0, 4] }, 0)
  t.equal(effectiveStatus(0, 5, ranged), 8, 'the point\'s own range wins')
  t.same(ranged.validRange, [0, 4])
})
