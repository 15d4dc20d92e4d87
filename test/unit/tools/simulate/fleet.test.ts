import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { buildFleet, fleetPoints, SEED_COUNTS, TOXIC_GAS, VENTILATION, type FleetPoint } from '../../../../src/tools/simulate/fleet/index.js'
import { valueAt } from '../../../../src/tools/simulate/signals.js'

const SCHEMAS = join(import.meta.dirname, '../../../../schemas')
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
  const slopeSystems = new Set(points.filter((p) => p.def.item === '边坡位移').map((p) => p.def.attributes?.system))
  t.equal(slopeSystems.size, SEED_COUNTS.slopeSystems, '4 slope monitoring systems')
  const power = points.filter((p) => p.def.quantity === 'power_kw')
  t.equal(power.length, SEED_COUNTS.otherDevices, '30 other devices (power meters)')
  t.ok(power.every((p) => ['hoist', 'main_fan', 'crusher', 'pump', 'total'].includes(String(p.def.attributes?.equipment))))
  t.equal(fleet.sites.reduce((n, s) => n + s.channels.length, 0), SEED_COUNTS.videoChannels, '32 video channels')
  t.ok(fleet.sites.every((s) => s.input.attributes?.videoChannels === s.channels.length), 'the sites\' attributes count their channels')
  t.equal(fleet.sites.filter((s) => s.input.attributes?.personnelPositioning === true).length, SEED_COUNTS.positioningSystems)
  t.same(fleet.sites.filter((s) => s.positioning !== undefined).map((s) => s.code), ['SG-XS'], 'one positioning system, underground')
  // toxic gas and ventilation are underground; slopes on the pits and the dump; tailings on the ponds
  const kindOf = new Map(fleet.sites.map((s) => [s.code, s.input.kind]))
  t.ok(points.filter((p) => TOXIC_GAS.includes(p.def.quantity) || VENTILATION.includes(p.def.quantity)).every((p) => kindOf.get(p.site) === 'underground'))
  t.ok(points.filter((p) => p.def.item === '边坡位移').every((p) => ['open_pit', 'waste_dump'].includes(kindOf.get(p.site) as string)), 'slopes on the pits and the dump')
  t.ok(points.filter((p) => p.def.item === '坝体位移').every((p) => kindOf.get(p.site) === 'tailings_pond'), 'dam displacement on the ponds')
  t.ok(points.filter((p) => p.def.quantity.startsWith('displacement')).every((p) => p.def.item === '边坡位移' || p.def.item === '坝体位移'))
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
  const gas = points.filter((p) => TOXIC_GAS.includes(p.def.quantity) || VENTILATION.includes(p.def.quantity))
  t.equal(gas.length, 120, 'the 52 toxic-gas and 68 ventilation points')
  t.same(gas.filter((p) => p.def.intervalS !== 20).map((p) => `${p.key} ${p.def.intervalS} s`), [], 'gas and ventilation points report every 20 s')
  const slow = points.filter((p) => p.def.quantity.startsWith('displacement') || ['phreatic_depth', 'pool_level', 'dry_beach_length', 'freeboard', 'rainfall'].includes(p.def.quantity))
  t.ok(slow.length >= 100, `${slow.length} displacement, tailings and rain points`)
  t.same(slow.filter((p) => !(p.def.intervalS >= 60 && p.def.intervalS <= 600)).map((p) => `${p.key} ${p.def.intervalS} s`), [], 'which report every 60 to 600 s')
  for (const p of points) {
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

t.test('simulate - each main fan\'s status point and feeder meter name the same fan', async (t) => {
  const xs = points.filter((p) => p.site === 'SG-XS' && p.def.attributes?.equipment === 'main_fan')
  const status = xs.filter((p) => p.def.quantity === 'fan_status')
  const power = xs.filter((p) => p.def.quantity === 'power_kw')
  t.same(status.map((p) => [p.def.pointCode, p.def.kind, p.def.attributes?.fan, p.signal.constant]),
    [['FAN-001', 'switch', 'EF-1', 1], ['FAN-002', 'switch', 'EF-2', 0], ['FAN-003', 'switch', 'WF-1', 1], ['FAN-004', 'switch', 'WF-2', 0]])
  t.same(power.map((p) => [p.def.pointCode, p.def.attributes?.fan]),
    [['PWR-MAINFAN-1', 'EF-1'], ['PWR-MAINFAN-2', 'EF-2'], ['PWR-MAINFAN-3', 'WF-1'], ['PWR-MAINFAN-4', 'WF-2']])
  for (const s of status) {
    const meter = power.find((p) => p.def.attributes?.fan === s.def.attributes?.fan)
    t.equal(s.signal.constant === 1, (meter?.signal.min ?? 0) > 0, `${String(s.def.attributes?.fan)}: running ⇔ the meter draws power`)
  }
})

t.test('simulate - tailings and slope points carry the design values their rules need', async (t) => {
  for (const p of points.filter((x) => x.def.quantity === 'phreatic_depth')) {
    const control = Number(p.def.attributes?.controlDepthM)
    t.ok(p.signal.min - control >= 2.5, `${p.key}: clean depth ≥ ${p.signal.min.toFixed(2)} stays 2.5 m+ deeper than control depth ${control}`)
  }
  for (const p of points.filter((x) => x.def.quantity === 'pool_level')) {
    const a = p.def.attributes ?? {}
    t.ok(p.signal.max < Number(a.controlLevelM) && Number(a.controlLevelM) < Number(a.floodLevelM) && Number(a.floodLevelM) < Number(a.designMaxLevelM), `${p.key}: pool < control < flood < design max`)
  }
  for (const p of points.filter((x) => x.def.quantity === 'dry_beach_length' || x.def.quantity === 'freeboard')) {
    t.ok(p.signal.min > 1.4 * Number(p.def.attributes?.designMinM), `${p.key}: clean minimum ${p.signal.min.toFixed(2)} 40 %+ over the design minimum`)
  }
  const creeping = points.filter((x) => x.signal.trend !== undefined)
  t.ok(creeping.length >= 4 * 5, 'every slope station has a creeping 3D point')
  for (const p of creeping) {
    t.equal(p.def.attributes?.uniformVelocityMmPerDay, p.signal.trend?.perDay, `${p.key}: the stated uniform velocity is the creep`)
    t.ok((p.signal.trend?.perDay ?? 1) < 0.1, `${p.key}: creep under 0.1 mm/d`)
  }
  t.same(new Set(points.filter((x) => x.def.quantity === 'displacement_3d').map((x) => x.def.item)), new Set(['边坡位移']))
})

t.test('simulate - the underground mine blasts at its declared times: CO near the faces jumps and decays, the returns follow', async (t) => {
  const xs = fleet.sites.find((s) => s.code === 'SG-XS')
  t.equal(xs?.input.attributes?.blastTimes, '06:40,14:40,22:40', 'one blast at the end of each shift, declared as blastTimes')
  const co = (code: string): FleetPoint => points.find((p) => p.site === 'SG-XS' && p.def.pointCode === code) as FleetPoint
  const blast = Date.parse('2026-11-21T14:40:00+08:00')
  const MIN = 60_000
  const jump = (code: string, from: number, to: number): number => valueAt(co(code), blast + to * MIN) - valueAt(co(code), blast + from * MIN)
  for (const face of ['CO-005', 'CO-008', 'CO-016']) {
    t.ok(jump(face, -1, 3) > 5, `${face} (a stope) jumps ${jump(face, -1, 3).toFixed(1)} ppm in the 3 min after the blast`)
    t.ok(Math.abs(jump(face, -1, 45)) < 2.5, `${face} is back to its clean level 45 min later`)
  }
  for (const ret of ['CO-006', 'CO-009']) t.ok(jump(ret, -1, 9) > 2, `${ret} (a return airway) sees the plume later and weaker: +${jump(ret, -1, 9).toFixed(1)} ppm at 9 min`)
  t.equal(co('CO-001').signal.fumes, undefined, 'the intake air keeps it away from the shaft bottom')
  let peak = 0
  for (const p of points.filter((x) => x.site === 'SG-XS' && x.def.quantity === 'co')) {
    for (let ts = blast - 24 * 60 * MIN; ts < blast + 24 * 60 * MIN; ts += 20_000) peak = Math.max(peak, valueAt(p, ts))
  }
  t.ok(peak < 20, `the fumes' peak ${peak} ppm stays under gas.co.limit's 24 ppm (and its 20 ppm release): a clean day raises nothing`)
})
