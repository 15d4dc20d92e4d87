// Test-file durations ("20s", "1m30s", "500ms"): the pattern the schema checks, parsing and rendering.

/** DURATION is the pattern of a test-file duration: hours, minutes, seconds and milliseconds, in that order. */
export const DURATION = '^(?=\\d)(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$'

/** durationMs reads "0s", "20s", "1m30s", "2h", "500ms" (the test-file durations) as milliseconds. */
export function durationMs (text: string): number {
  const m = new RegExp(DURATION).exec(text)
  if (m === null) throw new Error(`invalid duration "${text}" (use e.g. 20s, 1m30s, 500ms)`)
  const [h, min, s, ms] = m.slice(1).map((g) => g === undefined ? 0 : parseInt(g, 10)) as [number, number, number, number]
  return ((h * 60 + min) * 60 + s) * 1000 + ms
}

/** formatDuration renders milliseconds the way test files write them: 0s, 20s, 1m20s, 1h5m, 1500ms. */
export function formatDuration (ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`
  let s = ms / 1000
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const out = (h > 0 ? `${h}h` : '') + (m > 0 ? `${m}m` : '') + (s > 0 ? `${s}s` : '')
  return out === '' ? '0s' : out
}
