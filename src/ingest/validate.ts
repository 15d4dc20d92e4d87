// Per-item validation of a readings batch: schema, registry and time bounds. One bad item rejects only
// itself, named by index, JSON path and a message a gateway engineer can act on.
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { ItemError } from '../errors/catalogue.js'
import type { RegistryView } from '../registry/types.js'
import { loadSchemas, schemaId } from '../plugins/schemas.js'
import { toEpochMs, toIso } from '../lib/time.js'
import type { ReadingRow } from './types.js'

/** Bounds on event time: not too far in the future, not older than the raw retention. */
export interface TimeBounds { maxFutureSkewMs: number, rawRetentionMs: number }

const TIMESTAMP_MESSAGE = 'must be epoch milliseconds (integer) or an RFC 3339 time with an offset'

/** Checked is the outcome of one batch: rows to store and the rejected items. */
export interface Checked { rows: ReadingRow[], rejected: ItemError[] }

/** compileReadingValidator compiles the contract's Reading schema once. */
export function compileReadingValidator (): ValidateFunction {
  const ajv = new Ajv({ allErrors: false, strict: false })
  addFormats.default(ajv)
  for (const schema of loadSchemas()) ajv.addSchema(schema)
  return ajv.getSchema(`${schemaId('readings.json')}#/definitions/Reading`) as ValidateFunction
}

/** checkReadings validates each item of an accepted envelope against schema, registry and time bounds. */
export function checkReadings (
  site: string, items: readonly unknown[], validate: ValidateFunction, registry: RegistryView, bounds: TimeBounds, now: number
): Checked {
  const rows: ReadingRow[] = []
  const rejected: ItemError[] = []
  for (let index = 0; index < items.length; index++) {
    const item = items[index]
    const base = `/readings/${index}`
    if (!validate(item)) {
      rejected.push(schemaRejection(index, base, validate))
      continue
    }
    const r = item as { point: string, ts: number | string, value: number, status?: number }
    if (registry.point(site, r.point) === undefined) {
      rejected.push({ index, path: `${base}/point`, message: `point "${r.point}" is not defined for site "${site}"` })
      continue
    }
    const ts = toEpochMs(r.ts)
    const problem = Number.isNaN(ts) ? 'is not a valid timestamp' : timeProblem(ts, now, bounds)
    if (problem !== null) {
      rejected.push({ index, path: `${base}/ts`, message: problem })
      continue
    }
    rows.push({ site, point: r.point, ts, value: r.value, status: r.status ?? 0, receivedAt: now })
  }
  return { rows, rejected }
}

/** schemaRejection names the first schema error of the item at `base` (e.g. /readings/3) after a failed `validate`. */
export function schemaRejection (index: number, base: string, validate: ValidateFunction): ItemError {
  // A failed oneOf (the timestamp) lists its branches' errors first; "must be integer" for a string
  // timestamp would mislead, so report the oneOf itself with what the contract accepts.
  const oneOf = validate.errors?.find((x) => x.keyword === 'oneOf')
  const e = oneOf ?? validate.errors?.[0]
  const extra = e?.keyword === 'required' ? `/${String(e.params.missingProperty)}` : (e?.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : '')
  const message = oneOf === undefined ? (e?.message ?? 'is invalid') : TIMESTAMP_MESSAGE
  return { index, path: base + (e?.instancePath ?? '') + extra, message }
}

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
