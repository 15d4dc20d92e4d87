import { join } from 'node:path'
import t from 'tap'
import { loadRules } from '../../../../src/4-evaluate/load-rules.js'
import { newCompileEnv } from '../../../../src/4-evaluate/compile.js'
import { bindThresholds } from '../../../../src/4-evaluate/modules/point/threshold/bind.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { buildFleet, fleetPoints } from '../../../../src/tools/simulate/fleet/index.js'
import { DEFAULT_SEED, hash32, mulberry32, valueAt } from '../../../../src/tools/simulate/signals.js'

const RULES_DIR = join(import.meta.dirname, '../../../../rules')
const T0 = Date.parse('2026-11-21T00:00:00+08:00')
const MIN = 60_000
const DAY = 24 * 60 * MIN

const fleet = buildFleet()
const points = fleetPoints(fleet)

t.test('simulate - mulberry32 and hash32 are deterministic', async (t) => {
  const a = mulberry32(42)
  const b = mulberry32(42)
  const xs = Array.from({ length: 5 }, () => a())
  t.same(Array.from({ length: 5 }, () => b()), xs)
  t.ok(xs.every((x) => x >= 0 && x < 1))
  t.equal(hash32('SG-XS/CO-001'), hash32('SG-XS/CO-001'))
  t.not(hash32('SG-XS/CO-001'), hash32('SG-XS/CO-002'))
})

t.test('simulate - valueAt is a pure function of (seed, point, t)', async (t) => {
  const sample = (seed: number): number[] => points.flatMap((p) => [0, 7, 133].map((k) => valueAt(p, T0 + k * 5 * MIN, seed)))
  t.same(sample(DEFAULT_SEED), sample(DEFAULT_SEED), 'same seed, same values')
  t.notSame(sample(1), sample(2), 'another seed, other values')
  const co = points.find((p) => p.def.quantity === 'co')
  if (co === undefined) throw new Error('no CO point')
  const ts = T0 + 3 * 20_000
  t.equal(valueAt(co, ts + 5_000), valueAt(co, ts), 'one value per reporting period: a resend carries the same value')
})

t.test('simulate - signals move: noise, a daily cycle, sibling points differ', async (t) => {
  for (const q of ['co', 'o2', 'wind_speed', 'power_kw', 'displacement_h', 'phreatic_depth'] as const) {
    const p = points.find((x) => x.def.quantity === q && x.signal.constant === undefined)
    if (p === undefined) throw new Error(`no ${q} point`)
    const values = new Set(Array.from({ length: 288 }, (_, i) => valueAt(p, T0 + i * 5 * MIN)))
    t.ok(values.size > 5, `${q} varies over a day (${values.size} distinct values)`)
  }
  const cos = points.filter((p) => p.site === 'SG-XS' && p.def.quantity === 'co')
  t.ok(new Set(cos.map((p) => valueAt(p, T0))).size > 3, 'CO points differ from each other')
})

t.test('simulate - 24 h of every point stay within range and below every default rule threshold', async (t) => {
  const { rules, errors } = await loadRules(RULES_DIR)
  t.same(errors, [])
  const sites: Site[] = fleet.sites.map((s) => ({
    code: s.code,
    name: s.input.name,
    kind: s.input.kind,
    status: s.input.status,
    attributes: s.input.attributes ?? {},
    updatedAt: 0,
    timeline: []
  }))
  const defs: Point[] = points.map((p) => ({
    ...p.def,
    site: p.site,
    code: p.def.pointCode,
    attributes: p.def.attributes ?? {},
    definedAt: 0
  }))
  const registry = new MemoryRegistry(sites, defs)
  const compiled = bindThresholds(rules, registry, newCompileEnv())
  let bound = 0
  let checked = 0
  const failures: string[] = []
  for (const seed of [DEFAULT_SEED, 1, 99]) {
    for (const p of points) {
      if (registry.point(p.site, p.def.pointCode) === undefined) throw new Error(`${p.key} not compiled`)
      const pr = { threshold: compiled.byPoint.get(p.site, p.def.pointCode) ?? [] }
      // counted for gas.yaml and ventilation.yaml only, so other rule files can bind more without touching this
      if (seed === DEFAULT_SEED) bound += pr.threshold.filter((i) => /^(gas|ventilation)\./.test(i.ref.ruleId)).length
      const [lo, hi] = p.def.range ?? [-Infinity, Infinity]
      for (let ts = T0; ts < T0 + DAY; ts += 5 * MIN) {
        const v = valueAt(p, ts, seed)
        checked++
        if (!(Number.isFinite(v) && v >= lo && v <= hi)) failures.push(`${p.key} ${v} outside range [${lo}, ${hi}] (seed ${seed})`)
        for (const inst of pr.threshold) {
          for (const level of inst.levels) {
            // below the release, not only the alarm: a clean value never even reaches the hysteresis band
            const ok = inst.direction === 'upper' ? v < level.release && v < level.at : v > level.release && v > level.at
            if (!ok) failures.push(`${p.key} ${v} crosses ${inst.ref.ruleId} ${level.level} (at ${level.at}, release ${level.release}) seed ${seed}`)
          }
        }
      }
    }
  }
  t.same(failures.slice(0, 20), [], 'no value out of range or over a threshold')
  // 52 toxic-gas points (gas.yaml); 16 temperature, 24 wind-speed points twice (high, low) and the 2 working main fans (ventilation.yaml)
  t.equal(bound, 52 + 16 + 2 * 24 + 2, 'the gas and ventilation rules bind to the underground mine\'s points')
  t.ok(checked > 3 * points.length * 280)
})
