// Per-item validation of a readings batch: schema, registry and time bounds. One bad item rejects only
// itself, named by index, JSON path and a message a gateway engineer can act on.
import type { ValidateFunction } from 'ajv'
import type { ItemError } from '../server/errors/catalogue.js'
import type { RegistryView } from '../registry/types.js'
import { schemaId } from '../server/plugins/schemas.js'
import { checkItems, itemValidator, Rejection, type Checked } from '../2-validate/items.js'
import { eventTime, type TimeBounds } from '../2-validate/event-time.js'
import type { ReadingRow } from '../contract/rows.js'

export type { TimeBounds }

/** compileReadingValidator is the contract's Reading schema, for one item at a time. */
export function compileReadingValidator (): ValidateFunction {
  return itemValidator(`${schemaId('readings.json')}#/definitions/Reading`)
}

interface Reading { point: string, ts: number | string, value: number, status?: number }

/** checkReadings validates each item of an accepted envelope against schema, registry and time bounds. */
export function checkReadings (
  site: string, items: readonly unknown[], validate: ValidateFunction, registry: RegistryView, bounds: TimeBounds, now: number,
  onReject?: (e: ItemError) => void
): Checked<ReadingRow> {
  return checkItems<Reading, ReadingRow>(items, validate, '/readings', (r) => {
    if (registry.point(site, r.point) === undefined) return new Rejection('/point', `point "${r.point}" is not defined for site "${site}"`)
    const ts = eventTime(r.ts, now, bounds)
    if (typeof ts !== 'number') return new Rejection('/ts', ts.problem)
    return { site, point: r.point, ts, value: r.value, status: r.status ?? 0, receivedAt: now }
  }, onReject)
}
