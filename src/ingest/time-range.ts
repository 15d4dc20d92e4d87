// The from/to/limit query of every "stored rows of …" endpoint: one schema, one parser.
import { InvalidQuery } from '../errors/catalogue.js'
import { withDetails } from '../plugins/errors.js'
import { toEpochMs } from '../lib/time.js'

/** TimeRangeQuery is the querystring the schema below admits (limit defaulted by it). */
export interface TimeRangeQuery { from?: string, to?: string, limit: number }

/** TIME_RANGE_QUERY is the querystring schema: from/to as epoch ms or RFC 3339, limit 1–100000 (10000). */
export const TIME_RANGE_QUERY = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 100000, default: 10000 }
  }
} as const

/** timeRange reads a validated TimeRangeQuery into epoch-ms bounds, or throws 400 naming the parameter. */
export function timeRange (q: TimeRangeQuery): { from: number, to: number, limit: number } {
  return { from: parseBound(q.from, 'from') ?? 0, to: parseBound(q.to, 'to') ?? 8.64e15, limit: q.limit }
}

function parseBound (text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined
  const ms = toEpochMs(/^\d+$/.test(text) ? Number(text) : text)
  if (Number.isNaN(ms)) {
    throw withDetails(new InvalidQuery(`query ${name} is not a timestamp`),
      [{ path: `/querystring/${name}`, message: 'must be epoch milliseconds or an RFC 3339 time with an offset' }])
  }
  return ms
}
