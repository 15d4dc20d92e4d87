// Verifying the evidence ledger (docs/evidence.md): walk the records in seq order, recompute each digest from
// the previous one, and name the first record that does not hold. Pure and incremental, so the CLI can feed it
// a ledger page by page without holding it all.
import { canonicalBody, chainDigest, EMPTY_HEAD, type ChainHead, type EvidenceRow } from './chain.js'

/** Broken names the first record that fails, what was expected and what was found. */
export interface Broken {
  seq: number
  alarmId: string
  /** which check failed */
  reason: 'seq' | 'link' | 'digest' | 'body' | 'columns'
  expected: string
  found: string
}

/** Verdict is the outcome of a verification. */
export type Verdict = { ok: true, count: number } | { ok: false, count: number, broken: Broken }

/** ChainCheck verifies records fed in seq order; it stops at the first broken one. */
export class ChainCheck {
  private head: ChainHead = EMPTY_HEAD
  private checked = 0
  private broken: Broken | undefined

  /** push checks the next record; it returns the break once one is found (and ignores what follows). */
  push (row: EvidenceRow): Broken | undefined {
    if (this.broken !== undefined) return this.broken
    const b = checkRow(this.head, row)
    if (b !== undefined) { this.broken = b; return b }
    this.head = { seq: row.seq, sha256: row.sha256 }
    this.checked++
    return undefined
  }

  /** verdict says how it ended: count is the number of records that held */
  verdict (): Verdict {
    return this.broken === undefined ? { ok: true, count: this.checked } : { ok: false, count: this.checked, broken: this.broken }
  }
}

/** verifyChain checks a whole ledger given in seq order. */
export function verifyChain (rows: Iterable<EvidenceRow>): Verdict {
  const check = new ChainCheck()
  for (const row of rows) if (check.push(row) !== undefined) break
  return check.verdict()
}

// The order of the checks makes the message useful: a missing record shows as a gap, a changed body as a wrong
// digest of that very record, a record re-linked elsewhere as a wrong link.
function checkRow (head: ChainHead, row: EvidenceRow): Broken | undefined {
  const at = { seq: row.seq, alarmId: row.alarmId }
  if (row.seq !== head.seq + 1) return { ...at, reason: 'seq', expected: `seq ${head.seq + 1}`, found: `seq ${row.seq}` }
  if (row.prevSha256 !== head.sha256) return { ...at, reason: 'link', expected: head.sha256, found: row.prevSha256 }
  const digest = chainDigest(head.sha256, row.body)
  if (digest !== row.sha256) return { ...at, reason: 'digest', expected: digest, found: row.sha256 }
  // The digest covers the body only: the columns beside it (alarm, site, fixed at) must say what the body says.
  let body: { alarmId?: unknown, site?: unknown, fixedAt?: unknown }
  try {
    body = JSON.parse(row.body) as typeof body
  } catch {
    return { ...at, reason: 'body', expected: 'JSON', found: row.body.slice(0, 40) }
  }
  if (canonicalBody(body) !== row.body) return { ...at, reason: 'body', expected: 'canonical JSON', found: row.body.slice(0, 40) }
  const fixedAt = new Date(row.fixedAt).toISOString()
  const columns = `${row.alarmId} ${row.site} ${fixedAt}`
  const stated = `${String(body.alarmId)} ${String(body.site)} ${String(body.fixedAt)}`
  if (columns !== stated) return { ...at, reason: 'columns', expected: stated, found: columns }
  return undefined
}

/** describe renders a verdict for people (the CLI's output). */
export function describe (v: Verdict): string {
  if (v.ok) return `OK: ${v.count} evidence record(s), chain intact`
  const b = v.broken
  return `BROKEN at seq ${b.seq} (alarm ${b.alarmId}): ${b.reason} mismatch, expected ${b.expected}, found ${b.found}; ${v.count} record(s) before it hold`
}
