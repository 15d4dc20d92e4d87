// `minewatch evidence verify` (`npm run evidence:verify`): re-computes the whole evidence chain from the QuestDB
// named by QDB_PG and prints OK with the number of records, or the first broken record (seq, alarm, expected and
// found digest) and exits 1. Exit 2: not configured. See docs/evidence.md.
import { pathToFileURL } from 'node:url'
import { walApplied } from '../../3-store/wal.js'
import { EVIDENCE_TABLES, readLedger } from '../../5-alarm/evidence/store.js'
import { ChainCheck, describe } from '../../5-alarm/evidence/verify.js'
import { withPgReader } from './pg.js'
import type { Output } from './rules-check.js'

export const USAGE = 'usage: minewatch evidence verify\n  re-computes the evidence ledger\'s hash chain in the QuestDB of QDB_PG; exit 1 names the first broken record'

/** main verifies the chain and returns the exit code. */
export async function main (argv: readonly string[], io: Output): Promise<number> {
  if (argv.length > 0) { io.err(`unexpected argument ${argv[0] ?? ''}\n${USAGE}`); return 2 }
  return await withPgReader(io, async (reader) => {
    // what QuestDB acknowledged but has not applied yet would look like a missing record
    if (!await walApplied(reader, EVIDENCE_TABLES, { timeoutMs: 30_000 })) io.err('warning: QuestDB has not applied every evidence row yet; verifying what is visible')
    const check = new ChainCheck()
    for await (const row of readLedger(reader)) if (check.push(row) !== undefined) break
    const verdict = check.verdict()
    if (verdict.ok) { io.out(describe(verdict)); return 0 }
    io.err(describe(verdict))
    return 1
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) })
}
