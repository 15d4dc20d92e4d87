// The items of a batch (readings, people, points, channels, heartbeats, AI events), validated one by one: the
// count is checked before any item is looked at, each item costs one validator call that stops at its first
// error, and the errors kept are capped, so time and answer size grow linearly and stay bounded.
import type { ValidateFunction } from 'ajv'
import { BatchTooLarge, InvalidBody, type ItemError } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { contractAjv } from './ajv.js'
import { Details, itemDetail } from './details.js'

/** itemValidator compiles the contract schema at `ref` (e.g. `${schemaId('readings.json')}#/definitions/Reading`) for single items. */
export function itemValidator (ref: string): ValidateFunction {
  const validate = contractAjv('body').getSchema(ref)
  if (validate === undefined) throw new Error(`no contract schema ${ref}`)
  return validate
}

/** checkCount refuses (413, naming the list) a batch of more than `limit` items, before any item is validated. */
export function checkCount (items: readonly unknown[], limit: number, path: string): void {
  if (items.length > limit) {
    throw withDetails(new BatchTooLarge(items.length, limit), [{ path, message: `must NOT have more than ${limit} items` }])
  }
}

/** Rejection is what a Judge returns for an item it refuses: `path` relative to the item, e.g. '/point'. */
export class Rejection {
  constructor (readonly path: string, readonly message: string) {}
}

/** Judge checks an item that passed its schema: a Rejection refuses it, anything else is the value to keep. */
export type Judge<I, R> = (item: I, index: number) => R | Rejection

/** Checked is the outcome of a batch: the rows kept (with the index of the item each came from) and the rejections. */
export interface Checked<R> { rows: R[], indexes: number[], rejected: ItemError[], rejectedCount: number }

/** LIST_MAX_ITEMS is the maxItems of the contract's lists (points, channels, people of a snapshot). */
export const LIST_MAX_ITEMS = 10_000

/** allValid throws 400 naming every rejected item (the first MAX_DETAILS, and the count) of a list that is taken whole or not at all. */
export function allValid<R> (checked: Checked<R>, what: string): R[] {
  if (checked.rejectedCount > 0) {
    throw withDetails(new InvalidBody(`${checked.rejectedCount} ${what} invalid`), checked.rejected, checked.rejectedCount)
  }
  return checked.rows
}

/**
 * checkItems validates every item of `items` (found at `base`, e.g. /readings) by schema, then by `judge`;
 * `onReject` sees every rejection, also those past the answer's cap (for metrics).
 */
export function checkItems<I, R> (
  items: readonly unknown[], validate: ValidateFunction, base: string, judge: Judge<I, R>, onReject?: (e: ItemError) => void
): Checked<R> {
  const rows: R[] = []
  const indexes: number[] = []
  const details = new Details(onReject)
  for (let index = 0; index < items.length; index++) {
    const at = `${base}/${index}`
    if (!validate(items[index])) {
      details.add(itemDetail(validate.errors, index, at))
      continue
    }
    const out = judge(items[index] as I, index)
    if (out instanceof Rejection) details.add({ index, path: at + out.path, message: out.message })
    else {
      rows.push(out)
      indexes.push(index)
    }
  }
  return { rows, indexes, rejected: details.list, rejectedCount: details.count }
}

/**
 * checkList takes a list (points, channels, people of a snapshot) whole or not at all: counted against
 * LIST_MAX_ITEMS, then every item validated at `base` ('' when the body is the list) and judged (kept as is by
 * default); 413 or 400 naming the items at fault.
 */
export function checkList<I, R = I> (
  items: readonly unknown[], validate: ValidateFunction, base: string, what: string, judge: Judge<I, R> = (item) => item as unknown as R
): R[] {
  checkCount(items, LIST_MAX_ITEMS, base === '' ? '/' : base)
  return allValid(checkItems(items, validate, base, judge), what)
}

/** uniqueKeys throws 400 naming the first item whose `key` an earlier item of `items` has (`what` says what it is); else all the keys. */
export function uniqueKeys<T> (items: readonly T[], key: keyof T & string, what: string): Set<string> {
  const seen = new Set<string>()
  items.forEach((item, index) => {
    const code = String(item[key])
    if (seen.has(code)) {
      throw withDetails(new InvalidBody(`${what} ${code} is defined twice`), [{ index, path: `/${index}/${key}`, message: `${what} ${code} is defined twice` }])
    }
    seen.add(code)
  })
  return seen
}
