// Time spans for the KPI report: half-open [start, end) in epoch ms, and the few set operations the figures need
// (union, intersection, difference, total length). Every function returns spans sorted, disjoint and non-empty.

/** Span is the half-open time interval [start, end) in epoch ms. */
export type Span = readonly [start: number, end: number]

/** normalize sorts spans, drops empty ones and merges those that overlap or touch. */
export function normalize (spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [s, e] of sorted) {
    const last = out.at(-1)
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

/** measure is the total length of the spans (overlaps counted once). */
export function measure (spans: readonly Span[]): number {
  return normalize(spans).reduce((sum, [s, e]) => sum + e - s, 0)
}

/** intersect is the time covered by both `a` and `b`. */
export function intersect (a: readonly Span[], b: readonly Span[]): Span[] {
  const x = normalize(a)
  const y = normalize(b)
  const out: Span[] = []
  let i = 0
  let j = 0
  while (i < x.length && j < y.length) {
    const [as, ae] = x[i] as Span
    const [bs, be] = y[j] as Span
    const s = Math.max(as, bs)
    const e = Math.min(ae, be)
    if (e > s) out.push([s, e])
    if (ae < be) i++
    else j++
  }
  return out
}

/** subtract is the time covered by `a` and not by `b`. */
export function subtract (a: readonly Span[], b: readonly Span[]): Span[] {
  const cut = normalize(b)
  const out: Span[] = []
  for (const [s0, e] of normalize(a)) {
    let s = s0
    for (const [cs, ce] of cut) {
      if (ce <= s || cs >= e) continue
      if (cs > s) out.push([s, cs])
      s = Math.max(s, ce)
      if (s >= e) break
    }
    if (s < e) out.push([s, e])
  }
  return out
}

/** union is the time covered by any of the lists. */
export function union (...lists: ReadonlyArray<readonly Span[]>): Span[] {
  return normalize(lists.flat())
}
