// Clean-feed signal generators: every value is a pure function of (seed, point, t), so a run is
// reproducible and simulated time can run faster than the wall clock. A signal is a baseline, a daily
// cycle (local time, UTC+8), a slow bounded drift and noise, clamped to the point's safe band: the band
// lies inside the point's range and on the safe side of every default rule threshold (rules/*.yaml),
// so a clean feed raises no alarm. Blasting fumes (fumes.ts) rise above the band, below the CO limit.
// Scenarios (src/tools/simulate/scenarios/) override values in the feed.
import { fumesAt, type Fumes } from './fumes.js'

/** SignalParams describe one point's clean signal, in the point's unit. */
export interface SignalParams {
  /** the value around which the signal moves */
  base: number
  /** half the peak-to-trough swing of the daily cycle */
  diurnal: number
  /** local hour (UTC+8, 0-24) of the daily maximum */
  peakHour: number
  /** half-width of the uniform noise added to each sample */
  noise: number
  /** half the swing of the slow drift (a sine of period driftPeriodH, phase from the seed) */
  drift: number
  driftPeriodH: number
  /** the safe band: generated values never leave [min, max] */
  min: number
  max: number
  /** decimals the value is rounded to (a sensor's resolution) */
  decimals: number
  /** a switch point holding one value (fan running 1, standby 0): no cycle, drift or noise */
  constant?: number
  /**
   * a steady trend added after the band clamp (cumulative displacement creeping at a uniform velocity):
   * `perDay` units per day since epoch ms `from`; the band bounds the fluctuation around the trend line
   */
  trend?: { perDay: number, from: number }
  /** blasting fumes added after the band clamp (fumes.ts): a clean day's blasts go past the safe band */
  fumes?: Fumes
}

/** SignalPoint is what valueAt needs of a point: its stable code and its signal. */
export interface SignalPoint {
  /** a code unique in the fleet, e.g. `SG-XS/CO-001` (site and point code) */
  key: string
  intervalS: number
  signal: SignalParams
}

/** DEFAULT_SEED is the seed of `npm run simulate` and the demo feed unless told otherwise. */
export const DEFAULT_SEED = 20261121

const HOUR = 3_600_000
const DAY = 24 * HOUR
const LOCAL_OFFSET_MS = 8 * HOUR

/** mulberry32 is a small, fast, well-mixed 32-bit PRNG: the same seed gives the same sequence. */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** hash32 is FNV-1a over a string, mixed with a seed: stable keys for per-point and per-step randomness. */
export function hash32 (text: string, seed = 0): number {
  let h = (0x811C9DC5 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/** unit01 is a deterministic number in [0, 1) for (seed, key, n). */
function unit01 (seed: number, key: string, n: number): number {
  return mulberry32(hash32(`${key}#${n}`, seed))()
}

/**
 * valueAt is the clean value of `point` at epoch ms `t` for `seed`. Noise is drawn per reporting period
 * (floor(t / intervalS)), so two calls for the same reading agree and a resend carries the same value.
 */
export function valueAt (point: SignalPoint, t: number, seed = DEFAULT_SEED): number {
  const s = point.signal
  if (s.constant !== undefined) return s.constant
  const localHour = (((t + LOCAL_OFFSET_MS) % DAY) + DAY) % DAY / HOUR
  const daily = s.diurnal * Math.cos((2 * Math.PI * (localHour - s.peakHour)) / 24)
  const driftPhase = 2 * Math.PI * unit01(seed, point.key, -1)
  const drift = s.drift * Math.sin((2 * Math.PI * t) / (s.driftPeriodH * HOUR) + driftPhase)
  const step = Math.floor(t / (point.intervalS * 1000))
  const noise = s.noise * (2 * unit01(seed, point.key, step) - 1)
  const shift = (s.trend === undefined ? 0 : s.trend.perDay * (t - s.trend.from) / DAY) + (s.fumes === undefined ? 0 : fumesAt(s.fumes, t))
  return roundWithin(clamp(s.base + daily + drift + noise, s.min, s.max) + shift, s.decimals, s.min + shift, s.max + shift)
}

function clamp (v: number, min: number, max: number): number {
  return v < min ? min : (v > max ? max : v)
}

// Rounding could step over a band edge by half a resolution step: round inwards there instead.
function roundWithin (v: number, decimals: number, min: number, max: number): number {
  const f = 10 ** decimals
  const r = Math.round(v * f) / f
  if (r > max) return Math.floor(max * f) / f
  if (r < min) return Math.ceil(min * f) / f
  return r
}
