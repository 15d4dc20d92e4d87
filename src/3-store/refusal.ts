// What QuestDB's answer to a commit means for the rows in it. ILP over HTTP answers 400 with the first line it
// could not take ({"line": n, "message": "... column: status; ..."}) and stores nothing of that request; a row
// refused once is refused forever, so it must fail alone (4xx to its sender) and never hold back the others.
import { StorageRefused } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { refusalDetail, type ItemFields } from '../2-validate/details.js'
import type { Refusal } from './types.js'

export type { Refusal } from './types.js'

/** Outcome is how a commit went: stored, refused at a line (1-based, or unknown), or storage unavailable. */
export type Outcome =
  | { kind: 'stored' }
  | { kind: 'refused', line: number | null, column?: string, message: string }
  | { kind: 'unavailable', error: Error }

/** RowRefused is thrown while encoding a row the storage would refuse; the row is left out, nothing half-written. */
export class RowRefused extends Error {
  constructor (readonly column: string, message: string) {
    super(`${column} ${message}`)
  }
}

// The client's HTTP transport fails with "HTTP request failed, statusCode=400, error={json}".
const FAILED = /statusCode=(\d+), error=([\s\S]*)$/

/** outcomeOf reads a failed send. A 400 is a refusal of the data; anything else may pass and is "unavailable". */
export function outcomeOf (err: Error): Outcome {
  const m = FAILED.exec(err.message)
  return m === null ? { kind: 'unavailable', error: err } : answerOf(Number(m[1]), m[2] ?? '', err)
}

/** answerOf reads QuestDB's answer to a write: its status and body. */
export function answerOf (status: number, text: string, err = new Error(`QuestDB answered ${status}: ${text}`)): Outcome {
  if (status === 204) return { kind: 'stored' }
  if (status !== 400 && status !== 413) return { kind: 'unavailable', error: err }
  let body: { line?: unknown, message?: unknown } = {}
  try { body = JSON.parse(text) } catch {}
  const message = typeof body.message === 'string' ? lastLine(body.message) : `QuestDB answered ${status}`
  const column = /column: ([^;]+);|Field: ([^;]+);/.exec(message)
  const line = typeof body.line === 'number' && Number.isInteger(body.line) && body.line > 0 ? body.line : null
  return { kind: 'refused', line, message, ...(column === null ? {} : { column: column[1] ?? column[2] }) }
}

// "failed to parse line protocol:errors encountered on line(s):\nerror in line 2: table: …" → "table: …"
function lastLine (message: string): string {
  const lines = message.split('\n')
  return (lines[lines.length - 1] ?? message).replace(/^error in line \d+: /, '')
}

/** storedOnly is `rows` without the refused ones (a write's rows in the order given). */
export function storedOnly<R> (rows: readonly R[], refused: readonly Refusal[]): R[] {
  if (refused.length === 0) return [...rows]
  const out = new Set(refused.map((r) => r.row))
  return rows.filter((_, i) => !out.has(i))
}

/**
 * refusedAs gives a StorageRefused from an atomic write its details at `at`: with `perRow`, row n is item n of the
 * list (row 3, column area → /people/3/area); without, the body is the one item (column area → /area).
 * Other errors pass unchanged.
 */
export function refusedAs (err: unknown, at: ItemFields, perRow: boolean): unknown {
  if (!(err instanceof StorageRefused)) return err
  const refusals: Refusal[] = (err as { refusals?: Refusal[] }).refusals ?? []
  return withDetails(err, refusals.map((r) => refusalDetail(r, at, perRow ? r.row : undefined)))
}
