// The series notation of test files (promtool's, plus statuses and gaps): `10+5x3 _x2 30@4`.

/** Slot is one position of a series: a reading (value, status) or a gap (null). */
export type Slot = { value: number, status: number } | null

const TOKEN = /^(-?\d+(?:\.\d+)?)(?:([+-])(\d+(?:\.\d+)?))?(?:x(\d+))?(?:@(\d+))?$/

/**
 * parseValues reads a series, one slot per interval, separated by spaces:
 * `30` a reading; `30@4` with status 4; `_` no reading; `_x3` three slots without readings;
 * `10+5x3` expands to 10 15 20 25 (promtool's a+bxn, n+1 values); `1x3` is 1 1 1 1; `170-10x2@8` 170 160 150 with status 8.
 */
export function parseValues (text: string | number): Slot[] {
  const out: Slot[] = []
  for (const token of String(text).trim().split(/\s+/)) {
    if (token === '') continue
    const gap = /^_(?:x(\d+))?$/.exec(token)
    if (gap !== null) {
      const n = gap[1] === undefined ? 1 : parseInt(gap[1], 10)
      for (let i = 0; i < n; i++) out.push(null)
      continue
    }
    const m = TOKEN.exec(token)
    if (m === null) throw new Error(`bad value "${token}" (use 30, 30@4, _, _x3, 10+5x3)`)
    const [, a, op, b, times, status] = m
    if (op !== undefined && times === undefined) throw new Error(`bad value "${token}": a step needs a count, e.g. ${token}x3`)
    const start = Number(a)
    const step = op === undefined ? 0 : (op === '-' ? -1 : 1) * Number(b)
    const n = times === undefined ? 0 : parseInt(times, 10)
    const st = status === undefined ? 0 : parseInt(status, 10)
    for (let i = 0; i <= n; i++) out.push({ value: Math.round((start + i * step) * 1e9) / 1e9, status: st })
  }
  return out
}
