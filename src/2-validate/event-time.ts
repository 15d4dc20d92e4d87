// Event time of an item: a contract timestamp (section 1) within the bounds the server accepts, not too far in
// the future and not older than the raw retention. A timestamp outside 1970…9999 is no time at all (lib/time.ts).
import { InvalidBody } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { toEpochMs, toIso } from '../lib/time.js'

/** TimeBounds bound event time: not too far in the future, not older than the raw retention. */
export interface TimeBounds { maxFutureSkewMs: number, rawRetentionMs: number }

/** timeProblem says why event time `ts` is out of bounds at `now`, or null when it is within them. */
export function timeProblem (ts: number, now: number, b: TimeBounds): string | null {
  if (ts - now > b.maxFutureSkewMs) {
    return `timestamp ${toIso(ts)} is ${Math.round((ts - now) / 1000)} s in the future (clock skew allowed: ${b.maxFutureSkewMs / 1000} s)`
  }
  if (now - ts > b.rawRetentionMs) {
    return `timestamp ${toIso(ts)} is older than the raw-data retention of ${b.rawRetentionMs / 86_400_000} days`
  }
  return null
}

/** eventTime reads a schema-valid timestamp as epoch ms within the bounds, or says what is wrong with it. */
export function eventTime (ts: number | string, now: number, bounds: TimeBounds): number | { problem: string } {
  const ms = toEpochMs(ts)
  if (Number.isNaN(ms)) return { problem: 'is not a valid timestamp' }
  const problem = timeProblem(ms, now, bounds)
  return problem === null ? ms : { problem }
}

/** bodyTime is the event time of a body's own `ts` (`what` names it in the message), or a 400 naming /ts. */
export function bodyTime (ts: number | string, now: number, bounds: TimeBounds, what = 'ts'): number {
  const ms = eventTime(ts, now, bounds)
  if (typeof ms !== 'number') throw withDetails(new InvalidBody(`${what} ${ms.problem}`), [{ path: '/ts', message: ms.problem }])
  return ms
}
