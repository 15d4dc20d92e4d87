// Ajv's errors as the contract's details: { index, path, message }, one JSON pointer per problem, and lists of
// them capped, so a body of many bad items gets an answer of bounded size (the first MAX_DETAILS and a count).
import type { ErrorObject } from 'ajv'
import type { ItemError } from '../server/errors/catalogue.js'
import type { Refusal } from '../3-store/types.js'

/** MAX_DETAILS is the most item errors one answer lists; the count of all of them goes beside. */
export const MAX_DETAILS = 100

/** TIMESTAMP_MESSAGE says what a contract timestamp may be (section 1). */
export const TIMESTAMP_MESSAGE = 'must be epoch milliseconds (integer) or an RFC 3339 time with an offset'

// A failed oneOf (the only one of the request schemas is the timestamp) lists its branches' errors first;
// "must be integer" for a string timestamp would mislead, so the oneOf itself is reported, with what it accepts.
function primary (errors: readonly ErrorObject[]): ErrorObject[] {
  const oneOf = errors.filter((e) => e.keyword === 'oneOf')
  return oneOf.length > 0 ? oneOf : [...errors]
}

function pointer (e: ErrorObject): string {
  if (e.keyword === 'required') return `${e.instancePath}/${String(e.params.missingProperty)}`
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String(e.params.additionalProperty)}`
  return e.instancePath
}

function message (e: ErrorObject): string {
  if (e.keyword === 'oneOf') return TIMESTAMP_MESSAGE
  // an enum failure says which values are accepted, so "unknown type" is actionable
  if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`
  return e.message ?? 'is invalid'
}

/** itemDetail is the first problem of one item at `base` (e.g. /readings/3) after its validator failed. */
export function itemDetail (errors: readonly ErrorObject[] | null | undefined, index: number, base: string): ItemError {
  const e = primary(errors ?? [])[0]
  if (e === undefined) return { index, path: base, message: 'is invalid' }
  return { index, path: base + pointer(e), message: message(e) }
}

/**
 * requestDetails are the problems Fastify's validation found in one part of a request. `part` prefixes the path
 * of every part but the body (/querystring/from, /params/siteCode); in a body whose first or second level is a
 * list of items (/3/kind, /people/3/card), the item's index is named too.
 */
export function requestDetails (errors: readonly ErrorObject[], part: string | undefined): ItemError[] {
  return primary(errors).slice(0, MAX_DETAILS).map((e) => {
    const path = (part === undefined || part === 'body' ? '' : `/${part}`) + pointer(e)
    const detail: ItemError = { path: path === '' ? '/' : path, message: message(e) }
    const item = /^\/(?:[A-Za-z]+\/)?(\d+)(?:\/|$)/.exec(e.instancePath)
    if (item !== null && (part === undefined || part === 'body')) detail.index = Number(item[1])
    return detail
  })
}

/** Details collects item errors, keeping the first MAX_DETAILS and counting all. */
export class Details {
  readonly list: ItemError[] = []
  count = 0

  constructor (private readonly onAdd?: (e: ItemError) => void) {}

  add (e: ItemError): void {
    this.count++
    this.onAdd?.(e)
    if (this.list.length < MAX_DETAILS) this.list.push(e)
  }
}

/** ItemFields says where the items of a write stand in its body (`base`, e.g. /readings; '' for the body itself) and which field each stored column came from. */
export interface ItemFields { base: string, fields: Readonly<Record<string, string>> }

/** refusalPath is the JSON path of the field behind a refused `column` of the item at `index` (none: the body is the item). */
export function refusalPath (at: ItemFields, column: string | undefined, index?: number): string {
  const path = (index === undefined ? at.base : `${at.base}/${index}`) + (at.fields[column ?? ''] ?? '')
  return path === '' ? '/' : path
}

/** refusalDetail is the item error a refused row is answered with, for the item at `index` of the body. */
export function refusalDetail (r: Refusal, at: ItemFields, index?: number): ItemError {
  return { ...(index === undefined ? {} : { index }), path: refusalPath(at, r.column, index), message: `storage refused it: ${r.message}` }
}

/**
 * withRefusals adds the rows storage refused (a Refusal names the row of `checked.rows` and the column) to the
 * rejections of a batch whose items stand `at` a list of the body (e.g. /readings, each column mapped to its field).
 * The answer's list is capped; `rejectedCount` counts them all when the list could not.
 */
export function withRefusals (
  checked: { indexes: readonly number[], rejected: readonly ItemError[], rejectedCount: number },
  refused: readonly Refusal[], at: ItemFields
): { rejected: ItemError[], rejectedCount?: number } {
  const list = [...checked.rejected]
  for (const r of refused) {
    if (list.length < MAX_DETAILS) list.push(refusalDetail(r, at, checked.indexes[r.row] as number))
  }
  if (refused.length > 0) list.sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
  const count = checked.rejectedCount + refused.length
  return { rejected: list, ...(count > list.length ? { rejectedCount: count } : {}) }
}
