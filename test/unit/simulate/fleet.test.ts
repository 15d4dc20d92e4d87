import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { buildFleet, fleetPoints, SEED_COUNTS, TOXIC_GAS, VENTILATION } from '../../../src/simulate/fleet/index.js'

const SCHEMAS = join(import.meta.dirname, '../../../schemas')
const ID = 'https://minewatch.example/schemas/v1/'

function validators (): { points: ReturnType<Ajv['compile']>, site: ReturnType<Ajv['compile']> } {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats.default(ajv)
  for (const f of ['common.json', 'quantities.json', 'points.json', 'site.json']) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')))
  }
  return { points: ajv.getSchema(`${ID}points.json`) as ReturnType<Ajv['compile']>, site: ajv.getSchema(`${ID}site.json`) as ReturnType<Ajv['compile']> }
}

const fleet = buildFleet()
const points = fleetPoints(fleet)

t.test('simulate - the fleet: three mines, two tailings ponds and a waste dump', async (t) => {
  const byName = Object.fromEntries(fleet.sites.map((s) => [s.input.name, s.input.kind]))
  t.same(byName, {
    杏山铁矿: 'underground',
    水厂铁矿: 'open_pit',
    大石河铁矿: 'open_pit',
    大石河铁矿尾矿库: 'tailings_pond',
    水厂铁矿尾矿库: 'tailings_pond',
    水厂铁矿排土场: 'waste_dump'
  })
  t.ok(fleet.sites.every((s) => s.input.regionCode === '110000' && s.input.status === 'producing'))
  t.same(buildFleet(), fleet, 'the fleet is the same on every call (stable codes)')
})

t.test('simulate - the counts match the seed', async (t) => {
  const count = (f: (p: (typeof points)[number]) => boolean): number => points.filter(f).length
  t.equal(count((p) => TOXIC_GAS.includes(p.def.quantity)), SEED_COUNTS.toxicGas, '52 toxic-gas sensors')
  t.equal(count((p) => VENTILATION.includes(p.def.quantity)), SEED_COUNTS.ventilation, '68 ventilation sensors')
  const slopeSystems = new Set(points.filter((p) => p.def.quantity === 'displacement_h' || p.def.quantity === 'displacement_v').map((p) => p.def.attributes?.system))
  t.equal(slopeSystems.size, SEED_COUNTS.slopeSystems, '4 slope monitoring systems')
  const power = points.filter((p) => p.def.quantity === 'power_kw')
  t.equal(power.length, SEED_COUNTS.otherDevices, '30 other devices (power meters)')
  t.ok(power.every((p) => ['hoist', 'main_fan', 'crusher', 'pump', 'total'].includes(String(p.def.attributes?.equipment))))
  const video = fleet.sites.reduce((n, s) => n + Number(s.input.attributes?.videoChannels ?? 0), 0)
  t.equal(video, SEED_COUNTS.videoChannels, '32 video channels (as site attributes)')
  t.equal(fleet.sites.filter((s) => s.input.attributes?.personnelPositioning === true).length, SEED_COUNTS.positioningSystems)
  // toxic gas and ventilation are underground; slopes on the pits and the dump; tailings on the ponds
  const kindOf = new Map(fleet.sites.map((s) => [s.code, s.input.kind]))
  t.ok(points.filter((p) => TOXIC_GAS.includes(p.def.quantity) || VENTILATION.includes(p.def.quantity)).every((p) => kindOf.get(p.site) === 'underground'))
  t.ok([...slopeSystems].length === 4 && points.filter((p) => p.def.quantity.startsWith('displacement')).every((p) => ['open_pit', 'waste_dump'].includes(kindOf.get(p.site) as string)))
  for (const q of ['phreatic_depth', 'pool_level', 'dry_beach_length', 'freeboard'] as const) {
    const sites = new Set(points.filter((p) => p.def.quantity === q).map((p) => p.site))
    t.same([...sites].map((s) => kindOf.get(s)), ['tailings_pond', 'tailings_pond'], `${q} on both tailings ponds`)
  }
})

t.test('simulate - point definitions: unique codes, intervals, ranges that hold the safe band', async (t) => {
  for (const s of fleet.sites) {
    t.match(s.code, /^[A-Za-z0-9_.-]{1,64}$/, `${s.code} is a valid site code`)
    const codes = s.points.map((p) => p.def.pointCode)
    t.equal(new Set(codes).size, codes.length, `${s.code}: point codes are unique`)
  }
  t.equal(new Set(points.map((p) => p.key)).size, points.length)
  for (const p of points) {
    const q = p.def.quantity
    if (TOXIC_GAS.includes(q) || VENTILATION.includes(q)) t.equal(p.def.intervalS, 20, `${p.key} reports every 20 s`)
    if (q.startsWith('displacement') || ['phreatic_depth', 'pool_level', 'dry_beach_length', 'freeboard', 'rainfall'].includes(q)) {
      t.ok(p.def.intervalS >= 60 && p.def.intervalS <= 600, `${p.key} reports every ${p.def.intervalS} s`)
    }
    const [lo, hi] = p.def.range ?? [NaN, NaN]
    t.ok(lo <= p.signal.min && p.signal.min <= p.signal.max && p.signal.max <= hi, `${p.key}: band within range`)
    t.equal(p.intervalS, p.def.intervalS)
  }
})

t.test('simulate - sites and point definitions validate against the access-standard schemas', async (t) => {
  const v = validators()
  for (const s of fleet.sites) {
    t.ok(v.site(s.input), `${s.code} site: ${JSON.stringify(v.site.errors ?? [])}`)
    t.ok(v.points(s.points.map((p) => p.def)), `${s.code} points: ${JSON.stringify(v.points.errors?.slice(0, 3) ?? [])}`)
  }
})
