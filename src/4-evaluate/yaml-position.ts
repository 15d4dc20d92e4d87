// Maps a JSON pointer (as ajv reports it) back to a line and column in the YAML (or JSON) source,
// so every rule-file error can be shown as file:line:column, like a compiler would.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'

/** Position is a 1-based line and column in a source file. */
export interface Position {
  line: number
  column: number
}

/** pointerSegments splits a JSON pointer ("/groups/0/rules") into unescaped segments. */
export function pointerSegments (pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** toPointer joins segments into a JSON pointer, escaping "~" and "/". */
export function toPointer (segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}

/**
 * locate finds the node at `pointer` and returns its position. When the node does not exist (a missing
 * property) it returns the position of the nearest existing ancestor. With `atKey`, a map entry is
 * located by its key rather than its value (used for "unknown property" errors).
 */
export function locate (doc: Document, lines: LineCounter, pointer: string, atKey = false): Position {
  const segments = pointerSegments(pointer)
  let node: unknown = doc.contents
  let offset = startOf(node) ?? 0
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string
    const last = i === segments.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === seg)
      if (pair === undefined) break
      const keyStart = startOf(pair.key)
      const valueStart = startOf(pair.value)
      offset = (last && atKey ? keyStart : valueStart ?? keyStart) ?? offset
      node = pair.value
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)]
      if (item === undefined) break
      offset = startOf(item) ?? offset
      node = item
    } else {
      break
    }
  }
  const { line, col } = lines.linePos(offset)
  return { line, column: col }
}

function keyText (key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value)
  return typeof key === 'string' ? key : undefined
}

function startOf (node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return range === undefined || range === null ? undefined : range[0]
}
