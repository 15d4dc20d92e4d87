// One write call's rows as ILP bytes, with where each row ends, so a row the storage refuses can be cut out and
// the rest resent. Rows are encoded into a scratch buffer one at a time: a row that throws half way is dropped
// with the scratch's unfinished tail, so a part only ever holds whole rows.
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { SenderBuffer } from '@questdb/nodejs-client'
import { deferred, type Deferred } from '../lib/deferred.js'
import { RowRefused, type Refusal } from './refusal.js'

/** Mode says how a call's rows stand: each on its own (a refused row fails alone) or all together. */
export type Mode = 'each' | 'all'

/** Part is one write call on its way to QuestDB. */
export interface Part {
  readonly table: string
  readonly mode: Mode
  /** the encoded rows still to store */
  data: Buffer
  /** end offset in `data` of each row still to store */
  ends: number[]
  /** the call's index of each row still to store */
  rows: number[]
  readonly refused: Refusal[]
  /** rows cut out after QuestDB refused them (each cost a round trip) */
  cuts: number
  /** the rest of the call was given up on, so the call fails as a whole */
  gaveUp: boolean
  /** rows QuestDB acknowledged */
  stored: number
  readonly done: Deferred<Refusal[]>
  settled: boolean
}

/** SLICE is how many rows are encoded before other work gets the event loop (about 5 ms of the client's encoding). */
export const SLICE = 1000

/**
 * encodePart appends `rows` one by one to the empty `scratch` with `append` and takes the bytes out; a row that
 * throws is refused (RowRefused names its column) and the scratch is reset to the last whole row. After every
 * SLICE rows the bytes are taken out and the event loop is let go, so a large call never holds it for long; the
 * scratch is empty then, so another call may use it meanwhile.
 */
export async function encodePart<R> (scratch: SenderBuffer, table: string, mode: Mode, rows: readonly R[], append: (buf: SenderBuffer, row: R) => void): Promise<Part> {
  const chunks: Buffer[] = []
  const ends: number[] = []
  const kept: number[] = []
  const refused: Refusal[] = []
  let offset = 0
  scratch.reset()
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % SLICE === 0) {
      const whole = scratch.toBufferNew()
      if (whole !== null) {
        chunks.push(whole)
        offset += whole.length
      }
      scratch.reset()
      await yieldToLoop()
    }
    try {
      append(scratch, rows[i] as R)
      ends.push(offset + scratch.currentPosition())
      kept.push(i)
    } catch (err) {
      refused.push(err instanceof RowRefused ? { row: i, column: err.column, message: err.message } : { row: i, message: (err as Error).message })
      // toBufferNew takes the whole rows and leaves the unfinished one at the start; reset discards it
      const whole = scratch.toBufferNew()
      if (whole !== null) {
        chunks.push(whole)
        offset += whole.length
      }
      scratch.reset()
    }
  }
  const rest = scratch.toBufferNew()
  if (rest !== null) chunks.push(rest)
  scratch.reset()
  const part: Part = { table, mode, data: Buffer.concat(chunks), ends, rows: kept, refused, cuts: 0, gaveUp: false, stored: 0, done: deferred<Refusal[]>(), settled: false }
  if (mode === 'all' && refused.length > 0) dropAll(part)
  return part
}

/** lineCount is how many rows of `part` are still to store. */
export function lineCount (part: Part): number {
  return part.rows.length
}

/** dropLine cuts the `line`-th (0-based) row still to store out of `part`, recording why storage refused it. */
export function dropLine (part: Part, line: number, why: Omit<Refusal, 'row'>): void {
  const start = line === 0 ? 0 : part.ends[line - 1] as number
  const end = part.ends[line] as number
  part.refused.push({ row: part.rows[line] as number, ...why })
  part.cuts++
  part.data = Buffer.concat([part.data.subarray(0, start), part.data.subarray(end)])
  part.ends = [...part.ends.slice(0, line), ...part.ends.slice(line + 1).map((e) => e - (end - start))]
  part.rows.splice(line, 1)
  if (part.mode === 'all') dropAll(part)
}

/** dropAll gives up on every row still to store, so the call fails as a whole (an atomic one stores none). */
export function dropAll (part: Part): void {
  part.gaveUp = true
  part.data = Buffer.alloc(0)
  part.ends = []
  part.rows = []
}
