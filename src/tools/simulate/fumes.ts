// Blasting fumes (炮烟) in the clean feed: an underground mine blasts at fixed times (定时爆破) and the CO of
// the sensors near the faces rises within minutes, then the ventilation carries it off over tens of
// minutes; a return-airway sensor downstream sees the plume later, weaker and slower. Blasts are part of a
// clean day: the CO trend rules must read them as fumes, not as a fire (rules/trends.yaml).

/** Fumes is the plume one point sees after each of its site's daily blasts, in the point's unit. */
export interface Fumes {
  /** the blasts, Beijing minutes of the day (the site's declared blastTimes) */
  times: readonly number[]
  /** minutes from the blast until the plume reaches the point */
  delayMin: number
  /** the plume's peak above the clean value, reached linearly over riseMin */
  rise: number
  riseMin: number
  /** minutes of the decay to 5 % of the peak (exponential, the ventilation's dilution) */
  decayMin: number
}

const MIN = 60_000
const DAY_MIN = 24 * 60
const LOCAL_OFFSET_MIN = 8 * 60
/** past this many e-folding times the residue is below any sensor's resolution */
const TAIL = 8

/** fumesAt is the plume above the clean value at epoch ms t: the latest blast's (blasts hours apart do not overlap). */
export function fumesAt (f: Fumes, t: number): number {
  const now = ((t / MIN + LOCAL_OFFSET_MIN) % DAY_MIN + DAY_MIN) % DAY_MIN
  const tau = f.decayMin / 3
  let out = 0
  for (const at of f.times) {
    const m = ((now - at) % DAY_MIN + DAY_MIN) % DAY_MIN - f.delayMin
    if (m < 0 || m > f.riseMin + TAIL * tau) continue
    out = Math.max(out, m < f.riseMin ? f.rise * m / f.riseMin : f.rise * Math.exp(-(m - f.riseMin) / tau))
  }
  return out
}

/** beijingMinutes reads "HH:mm" Beijing times, comma-separated, as minutes of the day. */
export function beijingMinutes (times: string): number[] {
  return times.split(',').map((x) => {
    const [h, m] = x.trim().split(':').map(Number) as [number, number]
    return h * 60 + m
  })
}
