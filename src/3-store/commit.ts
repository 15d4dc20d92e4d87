// One group commit: the parts of many write calls sent as one ILP/HTTP request. When QuestDB refuses a line, that
// line's row is cut out (or its whole call, for an atomic one, or after MAX_CUTS rows of one call) and the rest is
// sent again; a refusal that names no line splits the group into its calls. Every round takes at least one row or
// one call out, so it ends; a refused row never fails the rows of another call, and "unavailable" (QuestDB down,
// timed out) fails them all with 503, because a resend may succeed.
import { StorageRefused, StorageUnavailable } from '../server/errors/catalogue.js'
import { dropAll, dropLine, lineCount, type Part } from './part.js'
import type { Outcome } from './refusal.js'

/** MAX_CUTS is the most rows cut out of one call before the whole call is refused (each cut costs a round trip). */
export const MAX_CUTS = 8

/** Send sends bytes to QuestDB and tells how it went. */
export type Send = (data: Buffer) => Promise<Outcome>

/** commitParts stores `parts` through `send`, settling each part's promise; it never throws. */
export async function commitParts (parts: readonly Part[], send: Send): Promise<void> {
  const queue: Part[][] = [[...parts]]
  for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
    const live = group.filter((p) => !p.settled && lineCount(p) > 0)
    for (const p of group) if (!p.settled && lineCount(p) === 0) settle(p)
    if (live.length === 0) continue
    const outcome = await send(Buffer.concat(live.map((p) => p.data)))
    if (outcome.kind === 'stored') live.forEach((p) => { p.stored = lineCount(p); settle(p) })
    else if (outcome.kind === 'unavailable') live.forEach((p) => fail(p, new StorageUnavailable(outcome.error.message, { cause: outcome.error })))
    else if (outcome.line !== null && cut(live, outcome.line, outcome)) queue.unshift(live)
    else if (live.length > 1) queue.unshift(...live.map((p) => [p]))
    else refuseAll(live[0] as Part, outcome.message)
  }
}

// Cuts the row at the 1-based `line` of the group; false when the line is not in it.
function cut (live: readonly Part[], line: number, why: { column?: string, message: string }): boolean {
  let first = 1
  for (const part of live) {
    const n = lineCount(part)
    if (line < first + n) {
      const refusal = { message: why.message, ...(why.column === undefined ? {} : { column: why.column }) }
      if (part.cuts >= MAX_CUTS) {
        part.refused.push({ row: part.rows[line - first] as number, ...refusal })
        dropAll(part)
      } else dropLine(part, line - first, refusal)
      if (lineCount(part) === 0) settle(part)
      return true
    }
    first += n
  }
  return false
}

function refuseAll (part: Part, message: string): void {
  part.refused.push(...part.rows.map((row) => ({ row, message })))
  dropAll(part)
  settle(part)
}

/** settle ends a part: an atomic part with a refused row is rejected with StorageRefused, any other resolves. */
export function settle (part: Part): void {
  if (part.settled) return
  part.settled = true
  if (part.refused.length > 0 && part.gaveUp) {
    const first = part.refused[0]
    const err = new StorageRefused(`${part.refused.length} row(s) of ${part.table}, e.g. ${first?.message ?? ''}`)
    part.done.reject(Object.assign(err, { refusals: part.refused }))
  } else part.done.resolve(part.refused)
}

function fail (part: Part, err: Error): void {
  if (part.settled) return
  part.settled = true
  part.done.reject(err)
}
