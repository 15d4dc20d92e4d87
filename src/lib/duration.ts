// Durations as people write them ("500ms", "90s", "1.5h", "7d", "1h30m"): the one parser that rule files, rule
// tests, the simulator, the CLIs and the configuration share, and the patterns their schemas check. What a bare
// number means grew apart by caller (milliseconds for rule fields and --warmup, seconds for simulator offsets,
// refused in rule tests), so every call says it rather than inheriting a default.

/** BareNumber is what a number without a unit means: milliseconds, seconds, or an error. */
export type BareNumber = 'ms' | 's' | 'reject'

/** DurationOptions: the bare-number meaning, and what the text is (an option, a variable) for the error message. */
export interface DurationOptions { bare: BareNumber, what?: string }

/** DURATION_PATTERN is one number with its unit (30s, 1.5h, 7d, no blanks): a rule file's duration fields. */
export const DURATION_PATTERN = '^\\d+(\\.\\d+)?(ms|s|m|h|d)$'

/** COMPOUND_DURATION_PATTERN is whole hours, minutes, seconds and milliseconds, in that order (1m30s): rule tests. */
export const COMPOUND_DURATION_PATTERN = '^(?=\\d)(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$'

const NUM = '\\d+(?:\\.\\d+)?'
// units from the largest to the smallest, each at most once; m(?!s) keeps "5ms" from reading as 5 minutes and an "s"
const TERMS = `(?=\\d)(?:(${NUM})d)?(?:(${NUM})h)?(?:(${NUM})m(?!s))?(?:(${NUM})s)?(?:(${NUM})ms)?`
const FULL = new RegExp(`^(?:(${NUM})|${TERMS})$`)
const ANY_ORDER = new RegExp(`^(?:${NUM}(?:ms|s|m|h|d))+$`)
const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1000, 1] as const

/**
 * ANY_DURATION_PATTERN is every text parseDuration reads when a bare number is allowed, blanks around included:
 * for a schema (the configuration's) whose value goes to parseDuration with `bare` 'ms' or 's'.
 */
export const ANY_DURATION_PATTERN = `^\\s*(?:${NUM}|${TERMS})\\s*$`

/**
 * parseDuration reads a duration as whole milliseconds (rounded), blanks around ignored. A number, or text that is
 * only a number, is read as `bare` says. Throws an Error whose message says what is wrong with the text.
 */
export function parseDuration (text: string | number, opts: DurationOptions): number {
  const m = FULL.exec(String(text).trim())
  if (m === null) return fail(text, opts, ANY_ORDER.test(String(text).trim()) ? 'units go from the largest to the smallest, each once, e.g. 1h30m' : undefined)
  const bare = m[1]
  if (bare !== undefined) {
    if (opts.bare === 'reject') throw new Error(`${opts.what ?? 'duration'} "${text}" needs a unit (ms, s, m, h, d)`)
    return checked(text, opts, Number(bare) * (opts.bare === 's' ? 1000 : 1))
  }
  const total = m.slice(2).reduce((sum, g, i) => g === undefined ? sum : sum + Number(g) * (UNIT_MS[i] ?? 1), 0)
  return checked(text, opts, total)
}

function checked (text: string | number, opts: DurationOptions, ms: number): number {
  const whole = Math.round(ms)
  return Number.isSafeInteger(whole) ? whole : fail(text, opts, 'too long')
}

// The generic hint is the one rule authors have always seen; a more precise reason replaces it where there is one.
function fail (text: string | number, opts: DurationOptions, reason = 'use e.g. 30s, 5m, 2h'): never {
  const head = opts.what === undefined ? `invalid duration "${text}"` : `${opts.what} "${text}" is not a duration`
  throw new Error(`${head} (${reason})`)
}

/** formatDuration renders milliseconds the way rule tests write them: 0s, 20s, 1m20s, 1h5m, 1500ms. */
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
