// Helpers shared by the point builders: signal bands, stable per-point jitter, a site's point list.
import type { PointDefinition } from '../../../contract/index.js'
import { hash32, type SignalParams } from '../signals.js'
import type { FleetPoint } from './types.js'

/** a signal around `base` whose safe band is base ± band, kept inside [lo, hi] */
export function around (base: number, band: number, o: Omit<SignalParams, 'base' | 'min' | 'max'>, lo = -Infinity, hi = Infinity): SignalParams {
  return { base, min: Math.max(lo, base - band), max: Math.min(hi, base + band), ...o }
}

/** jitter gives a stable value in [-1, 1) for a key, so sibling points differ but never change. */
export function jitter (key: string): number {
  return (hash32(key, 7) / 4294967296) * 2 - 1
}

/** SiteBuilder collects the points of one site, each keyed by site and point code. */
export class SiteBuilder {
  readonly points: FleetPoint[] = []
  constructor (readonly code: string) {}

  add (def: PointDefinition, signal: SignalParams): void {
    this.points.push({ site: this.code, key: `${this.code}/${def.pointCode}`, intervalS: def.intervalS, def, signal })
  }
}

/** pad zero-pads a number to `w` digits, as point codes number their points. */
export const pad = (n: number, w = 3): string => String(n).padStart(w, '0')
