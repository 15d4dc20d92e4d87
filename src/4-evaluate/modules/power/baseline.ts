// The production-period reference of PW-1 and the test against it. A site's profile over one window is
// its load (the total meters, or the sum of the equipment meters where there is no total meter) and the
// power of its production equipment (hoists by default); a site with neither a total meter nor a
// production meter is not judged. The reference is, in order of preference:
//   1. learned online: the mean load and the production equipment's share of it over the windows of the
//      last `learnSpan` (default 24 h) in which the site's status was `producing`, once at least
//      `minLearned` (default 2 h) of them have been seen;
//   2. declared: Σ attributes.productionKw of the load meters (the share then comes from the ratings);
//   3. rated: `ratedShare` × Σ attributes.ratedKw of the load meters (configurable default 0.5, unverified).
// A restart forgets what was learned, hence 2 and 3: a site suspended across a restart is still judged.
import type { ClosedWindow } from './window.js'
import type { Meter } from './meters.js'
import { ratedOf } from './meters.js'

/** Profile is a site's power over one window. prodKw is null when the site has no production meter. */
export interface Profile { loadKw: number, prodKw: number | null }

/** Reference is the production-period level a suspended site is compared with. */
export interface Reference {
  loadKw: number
  /** the production equipment's share of the load, null when unknown */
  share: number | null
  source: 'learned' | 'declared' | 'rated'
}

/** JudgeConfig holds the fractions of the test. */
export interface JudgeConfig {
  /** suspicious when the load reaches this fraction of the reference load */
  loadFraction: number
  /** suspicious when the production share reaches this fraction of the reference share */
  shareFraction: number
  /** ... and the production equipment draws at least this fraction of its reference power */
  equipmentFloor: number
}

/** Verdict says which criterion holds, with the share it saw. */
export interface Verdict { load: boolean, share: boolean, shareNow: number | null }

/** profileOf sums a window's means into a profile; null when the window has no load data to judge. */
export function profileOf (w: ClosedWindow, meters: readonly Meter[], equipment: readonly string[]): Profile | null {
  const totals = meters.filter((m) => m.equipment === 'total')
  const prod = meters.filter((m) => equipment.includes(m.equipment))
  // fans and pumps alone run through a suspension as they do in production: they say nothing about it
  if (totals.length === 0 && prod.length === 0) return null
  const load = sumOf(w, totals.length > 0 ? totals : meters)
  if (load === null) return null
  return { loadKw: load, prodKw: prod.length === 0 ? null : sumOf(w, prod) }
}

// null when none of the meters reported in the window: missing data must not read as 0 kW
function sumOf (w: ClosedWindow, meters: readonly Meter[]): number | null {
  let sum = 0
  let seen = false
  for (const m of meters) {
    const v = w.means.get(m.point.code)
    if (v === undefined) continue
    sum += v
    seen = true
  }
  return seen ? sum : null
}

/** Learner keeps the profiles of the producing windows of the last `spanMs`. */
export class Learner {
  private readonly seen: Array<{ end: number, sizeMs: number, p: Profile }> = []

  constructor (private readonly spanMs: number, private readonly minMs: number) {}

  /** add learns one producing window (in event-time order; an older one is ignored) */
  add (end: number, sizeMs: number, p: Profile): void {
    const last = this.seen[this.seen.length - 1]
    if (last !== undefined && end <= last.end) return
    this.seen.push({ end, sizeMs, p })
    while ((this.seen[0]?.end ?? Infinity) <= end - this.spanMs) this.seen.shift()
  }

  /** learnedMs is how much producing time the reference rests on */
  learnedMs (): number {
    return this.seen.reduce((s, x) => s + x.sizeMs, 0)
  }

  /** reference is the learned one, or null before minMs of producing windows were seen */
  reference (): Reference | null {
    if (this.seen.length === 0 || this.learnedMs() < this.minMs) return null
    let load = 0
    let prodLoad = 0
    let prod = 0
    for (const { p } of this.seen) {
      load += p.loadKw
      if (p.prodKw === null) continue
      prodLoad += p.loadKw
      prod += p.prodKw
    }
    return { loadKw: load / this.seen.length, share: prodLoad > 0 ? prod / prodLoad : null, source: 'learned' }
  }
}

/** staticReference is the reference from the meters' attributes, for when nothing was learned. */
export function staticReference (meters: readonly Meter[], equipment: readonly string[], ratedShare: number): Reference | null {
  const totals = meters.filter((m) => m.equipment === 'total')
  const load = totals.length > 0 ? totals : meters
  const prod = meters.filter((m) => equipment.includes(m.equipment))
  const ratedLoad = total(load.map(ratedOf))
  const ratedProd = total(prod.map(ratedOf))
  const share = ratedLoad !== null && ratedProd !== null && ratedLoad > 0 ? Math.min(1, ratedProd / ratedLoad) : null
  const declared = total(load.map((m) => m.productionKw))
  if (declared !== null) return { loadKw: declared, share, source: 'declared' }
  if (ratedLoad !== null) return { loadKw: ratedShare * ratedLoad, share, source: 'rated' }
  return null
}

// the sum when every value is known, else null (half a site's ratings would understate its level)
function total (values: ReadonlyArray<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null
  return (values as number[]).reduce((s, v) => s + v, 0)
}

/** judge compares one window's profile with the reference. */
export function judge (p: Profile, ref: Reference, cfg: JudgeConfig): Verdict {
  const load = p.loadKw >= cfg.loadFraction * ref.loadKw
  const shareNow = p.prodKw === null || p.loadKw <= 0 ? null : p.prodKw / p.loadKw
  // a share is only meaningful while the equipment draws real power: 5 kW of a hoist's brakes and
  // lighting over a near-dead site would otherwise read as a "high hoist share"
  const share = shareNow !== null && p.prodKw !== null && ref.share !== null &&
    shareNow >= cfg.shareFraction * ref.share &&
    p.prodKw >= cfg.equipmentFloor * ref.share * ref.loadKw
  return { load, share, shareNow }
}
