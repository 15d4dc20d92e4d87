// PW-1's third sign: regular night-time peaks while suspended or under maintenance (the Hebei case:
// maintenance power is normally daytime). Each night (default 22:00-06:00 Beijing time) of the
// suspension period is compared with the daytime before it (06:00-22:00); a night whose mean load is at
// least `factor` × that day's is a peak, and `nights` peaks in a row make the pattern. A night or a
// day with too few windows (less than half) breaks the streak: no evidence either way is no pattern.

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Beijing time (UTC+8): the sites are Chinese mines; shift hours are local hours */
const LOCAL_OFFSET_MS = 8 * HOUR

/** NightConfig is the night criterion of a power_suspension rule. */
export interface NightConfig {
  /** local hour the night starts (inclusive) and ends (exclusive) */
  from: number
  to: number
  factor: number
  nights: number
}

/** NightVerdict is the judgement of one completed night. */
export interface NightVerdict { peak: boolean, streak: number, nightKw: number, dayKw: number }

interface Mean { sum: number, n: number }

/** NightPeaks follows one site's suspension-period windows and judges each night as it completes. */
export class NightPeaks {
  private idx: number | null = null
  private night: Mean = { sum: 0, n: 0 }
  private day: Mean = { sum: 0, n: 0 }
  private judged = false
  private prevDayKw: number | null = null
  private streak = 0
  private readonly nightMs: number

  constructor (private readonly cfg: NightConfig, private readonly windowMs: number) {
    this.nightMs = ((cfg.to - cfg.from + 24) % 24) * HOUR
  }

  /** active tells whether the last nights make the pattern */
  get active (): boolean {
    return this.streak >= this.cfg.nights
  }

  /** reset forgets everything (the site produced again: only a suspension's own nights count) */
  reset (): void {
    this.idx = null
    this.night = { sum: 0, n: 0 }
    this.day = { sum: 0, n: 0 }
    this.judged = false
    this.prevDayKw = null
    this.streak = 0
  }

  /** add counts one judged window (start time, mean load); returns the verdict of a night it completes */
  add (start: number, loadKw: number): NightVerdict | null {
    // shifted so that a "night day" starts when the night does: the night first, then its daytime
    const shifted = start + LOCAL_OFFSET_MS - this.cfg.from * HOUR
    const idx = Math.floor(shifted / DAY)
    const inNight = shifted - idx * DAY < this.nightMs
    let verdict: NightVerdict | null = null
    if (idx !== this.idx) {
      if (this.idx !== null && !this.judged) verdict = this.judge()
      this.prevDayKw = this.idx === idx - 1 && enough(this.day, DAY - this.nightMs, this.windowMs) ? this.day.sum / this.day.n : null
      this.idx = idx
      this.night = { sum: 0, n: 0 }
      this.day = { sum: 0, n: 0 }
      this.judged = false
    }
    if (inNight) {
      this.night.sum += loadKw
      this.night.n++
      return verdict
    }
    if (!this.judged) verdict = this.judge()
    this.day.sum += loadKw
    this.day.n++
    return verdict
  }

  private judge (): NightVerdict | null {
    this.judged = true
    if (this.prevDayKw === null || !enough(this.night, this.nightMs, this.windowMs)) {
      this.streak = 0
      return null
    }
    const nightKw = this.night.sum / this.night.n
    const peak = nightKw >= this.cfg.factor * this.prevDayKw
    this.streak = peak ? this.streak + 1 : 0
    return { peak, streak: this.streak, nightKw, dayKw: this.prevDayKw }
  }
}

// at least half the windows of the span: a night judged on two windows would be noise
function enough (m: Mean, spanMs: number, windowMs: number): boolean {
  return m.n > 0 && m.n * windowMs * 2 >= spanMs
}
