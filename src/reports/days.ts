// Local days of the daily KPI rows (MINEWATCH_KPI_TZ, Beijing time by default): a day is [00:00, next 00:00) on
// the wall clock of the zone, which is 24 h except where the zone shifts for daylight saving.
const formats = new Map<string, Intl.DateTimeFormat>()

function format (timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formats.set(timeZone, f)
  }
  return f
}

function wallClock (ms: number, timeZone: string): { y: number, m: number, d: number, h: number, min: number, s: number } {
  const parts = Object.fromEntries(format(timeZone).formatToParts(ms).map((p) => [p.type, Number(p.value)]))
  return { y: parts.year ?? 0, m: parts.month ?? 0, d: parts.day ?? 0, h: parts.hour ?? 0, min: parts.minute ?? 0, s: parts.second ?? 0 }
}

// how far the zone's wall clock is ahead of UTC at `ms` (whole seconds)
function offsetAt (ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone)
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(ms / 1000) * 1000
}

/** DAY_PATTERN is a local date, YYYY-MM-DD. */
export const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** dayStart is the epoch ms of 00:00 of the local date `day` (YYYY-MM-DD) in `timeZone`. */
export function dayStart (day: string, timeZone: string): number {
  const m = DAY_PATTERN.exec(day)
  if (m === null) throw new Error(`not a date (YYYY-MM-DD): ${day}`)
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const first = guess - offsetAt(guess, timeZone)
  return guess - offsetAt(first, timeZone)
}

/** dayOf is the local date (YYYY-MM-DD) of `ms` in `timeZone`. */
export function dayOf (ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  return `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`
}

/** addDays moves a local date by `n` calendar days. */
export function addDays (day: string, n: number): string {
  const m = DAY_PATTERN.exec(day)
  if (m === null) throw new Error(`not a date (YYYY-MM-DD): ${day}`)
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n)).toISOString().slice(0, 10)
}

/** dayRange is the local day `day` as [start, end) in epoch ms. */
export function dayRange (day: string, timeZone: string): [number, number] {
  return [dayStart(day, timeZone), dayStart(addDays(day, 1), timeZone)]
}
