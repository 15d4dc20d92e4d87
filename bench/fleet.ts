// The benchmark's mines: a deterministic fleet of underground sites and points with a realistic quantity mix.
// Deterministic so that the orchestrator (which registers it), the load generator and the raw client (which
// write it) all rebuild the same list from two numbers instead of shipping 10k points between processes.

/** Quantity describes one kind of point: its unit, plausible range, and normal values that stay below every rule. */
interface Quantity { quantity: string, unit: string, range: [number, number], base: number, spread: number, noise: number }

// Baselines sit well inside the defaults of rules/ (CO release 20 ppm, O2 release 20.5 %, H2S 6 ppm, NO2 2 ppm)
// and inside what a ventilation or temperature rule would plausibly flag, so background traffic raises nothing.
const QUANTITIES: Record<string, Quantity> = {
  co: { quantity: 'co', unit: 'ppm', range: [0, 1000], base: 4, spread: 3, noise: 0.6 },
  o2: { quantity: 'o2', unit: '%', range: [0, 25], base: 20.9, spread: 0.05, noise: 0.05 },
  ch4: { quantity: 'ch4', unit: '%', range: [0, 4], base: 0.08, spread: 0.05, noise: 0.02 },
  h2s: { quantity: 'h2s', unit: 'ppm', range: [0, 100], base: 0.5, spread: 0.4, noise: 0.1 },
  no2: { quantity: 'no2', unit: 'ppm', range: [0, 20], base: 0.3, spread: 0.2, noise: 0.05 },
  temperature: { quantity: 'temperature', unit: '°C', range: [-20, 60], base: 21, spread: 2, noise: 0.2 },
  wind_speed: { quantity: 'wind_speed', unit: 'm/s', range: [0, 15], base: 2, spread: 0.8, noise: 0.15 },
  dust: { quantity: 'dust', unit: 'mg/m³', range: [0, 1000], base: 2, spread: 1, noise: 0.3 },
  negative_pressure: { quantity: 'negative_pressure', unit: 'Pa', range: [0, 5000], base: 1800, spread: 300, noise: 15 },
  air_volume: { quantity: 'air_volume', unit: 'm³/min', range: [0, 20000], base: 2400, spread: 600, noise: 30 }
}

// 20 slots per cycle: a typical non-coal underground mine has CO and O2 at every working place, plenty of
// temperature and wind-speed sensors, a few of the rest. 20 % of the points are CO: the latency probes use them.
const MIX: Array<[string, number]> = [
  ['co', 4], ['o2', 2], ['ch4', 1], ['h2s', 1], ['no2', 1], ['temperature', 3], ['wind_speed', 3],
  ['dust', 2], ['negative_pressure', 1], ['air_volume', 2]
]
const SLOTS = MIX.flatMap(([q, n]) => Array.from({ length: n }, () => q))

/** BenchPoint is one point with the baseline its simulated sensor hovers around. */
export interface BenchPoint { code: string, quantity: string, unit: string, range: [number, number], base: number, noise: number }

/** BenchSite is one mine and its points, in reporting order. */
export interface BenchSite { code: string, points: BenchPoint[] }

/** buildFleet spreads `totalPoints` over `siteCount` underground mines (the last one may be smaller). */
export function buildFleet (totalPoints: number, siteCount: number): BenchSite[] {
  const perSite = Math.ceil(totalPoints / siteCount)
  const sites: BenchSite[] = []
  for (let s = 0; s < siteCount && s * perSite < totalPoints; s++) {
    const count = Math.min(perSite, totalPoints - s * perSite)
    sites.push({ code: `BENCH-${String(s + 1).padStart(2, '0')}`, points: sitePoints(count, s) })
  }
  return sites
}

function sitePoints (count: number, siteIndex: number): BenchPoint[] {
  const seen = new Map<string, number>()
  return Array.from({ length: count }, (_, i) => {
    const q = QUANTITIES[SLOTS[i % SLOTS.length] as string] as Quantity
    const n = (seen.get(q.quantity) ?? 0) + 1
    seen.set(q.quantity, n)
    // A fixed per-point offset (not random) keeps every run identical and the points distinguishable.
    const offset = (((i * 7919 + siteIndex * 104729) % 1000) / 1000 - 0.5) * 2 * q.spread
    return {
      code: `${q.quantity.toUpperCase().replace('_', '')}-${String(n).padStart(4, '0')}`,
      quantity: q.quantity,
      unit: q.unit,
      range: q.range,
      base: q.base + offset,
      noise: q.noise
    }
  })
}

/** pointDefinitions is the PUT /v1/sites/{code}/points body for a site (section 2). */
export function pointDefinitions (site: BenchSite): object[] {
  return site.points.map((p, i) => ({
    pointCode: p.code,
    quantity: p.quantity,
    unit: p.unit,
    kind: 'analog',
    intervalS: 20,
    range: p.range,
    location: `-${200 + 40 * (i % 8)}m level, drift ${1 + (i % 25)}`,
    area: `A${1 + (i % 12)}`
  }))
}

/** sampleValue is one noisy reading around the point's baseline, rounded as a real transmitter would. */
export function sampleValue (p: BenchPoint): number {
  return Math.round((p.base + (Math.random() - 0.5) * 2 * p.noise) * 100) / 100
}
