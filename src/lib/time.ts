// Contract timestamps are epoch milliseconds or RFC 3339 strings with an offset (section 1), between the start of
// 1970 (QuestDB refuses a designated timestamp before it) and the end of year 9999 (the last RFC 3339 can write).
import { fullFormats } from 'ajv-formats/dist/formats.js'

/** MAX_EPOCH_MS is 9999-12-31T23:59:59.999Z, the latest time the server takes. */
export const MAX_EPOCH_MS = 253_402_300_799_999

const rfc3339 = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate

/** toEpochMs converts a contract timestamp (already schema-validated) to epoch milliseconds, or NaN outside 1970…9999. */
export function toEpochMs (ts: number | string): number {
  const ms = typeof ts === 'number' ? ts : Date.parse(ts)
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_EPOCH_MS ? ms : NaN
}

/**
 * parseTime reads a timestamp given as text (a query parameter): epoch milliseconds in digits, or an RFC 3339 time
 * with an offset, and nothing else; NaN when it is neither or lies outside 1970…9999. Date.parse alone would read
 * almost anything as some date.
 */
export function parseTime (text: string): number {
  if (/^\d{1,15}$/.test(text)) return toEpochMs(Number(text))
  return rfc3339(text) ? toEpochMs(text) : NaN
}

/** toIso renders epoch milliseconds as RFC 3339 in UTC, as every response does. */
export function toIso (ms: number): string {
  return new Date(ms).toISOString()
}
