// The from/to/limit query of every "stored rows of …" endpoint: one schema, one parser. Times are read strictly
// (epoch ms in digits or RFC 3339 with an offset, 1970…9999): anything else is a 400 naming the parameter, never
// "some date" read leniently.
import { InvalidQuery } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { MAX_EPOCH_MS, parseTime } from '../lib/time.js'

/** TimeRangeQuery is the querystring the schema below admits (limit defaulted by it). */
export interface TimeRangeQuery { from?: string, to?: string, limit: number }

/** TIME_PARAM is a time in a querystring, before parseTime reads it. */
export const TIME_PARAM = { type: 'string', minLength: 1, maxLength: 64 } as const

/** TIME_RANGE_QUERY is the querystring schema: from/to as epoch ms or RFC 3339, limit 1–100000 (10000). */
export const TIME_RANGE_QUERY = {
  type: 'object',
  properties: {
    from: TIME_PARAM,
    to: TIME_PARAM,
    limit: { type: 'integer', minimum: 1, maximum: 100000, default: 10000 }
  }
} as const

/** timeRange reads a validated TimeRangeQuery into epoch-ms bounds, or throws 400 naming the parameter. */
export function timeRange (q: TimeRangeQuery): { from: number, to: number, limit: number } {
  // from after to is an empty window, not an error
  return { from: timeParam(q.from, 'from') ?? 0, to: timeParam(q.to, 'to') ?? MAX_EPOCH_MS, limit: q.limit }
}

/** timeParam reads the query parameter `name`, or throws 400 naming it. */
export function timeParam (text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined
  const ms = parseTime(text)
  if (Number.isNaN(ms)) throw invalid(name, 'must be epoch milliseconds or an RFC 3339 time with an offset, between 1970 and 9999')
  return ms
}

function invalid (name: string, message: string): Error {
  return withDetails(new InvalidQuery(`query ${name} ${message}`), [{ path: `/querystring/${name}`, message }])
}
