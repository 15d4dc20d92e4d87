// Contract timestamps are epoch milliseconds or RFC 3339 strings with an offset (section 1).

/** toEpochMs converts a contract timestamp (already schema-validated) to epoch milliseconds, or NaN. */
export function toEpochMs (ts: number | string): number {
  return typeof ts === 'number' ? ts : Date.parse(ts)
}

/** toIso renders epoch milliseconds as RFC 3339 in UTC, as every response does. */
export function toIso (ms: number): string {
  return new Date(ms).toISOString()
}

/** parseDuration reads "500ms", "30s", "5m", "2h", "7d" (or a bare number of milliseconds). */
export function parseDuration (text: string | number): number {
  if (typeof text === 'number') return text
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim())
  if (m === null) throw new Error(`invalid duration "${text}" (use e.g. 30s, 5m, 2h)`)
  const n = Number(m[1])
  const unit = m[2] ?? 'ms'
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1
  return n * factor
}
