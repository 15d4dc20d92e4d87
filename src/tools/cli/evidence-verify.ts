// `npm run evidence:verify`: re-computes the whole evidence chain from the QuestDB named by QDB_PG and prints
// OK with the number of records, or the first broken record (seq, alarm, expected and found digest) and exits 1.
// Exit 2: not configured. See docs/evidence.md.
import { loadConfig } from '../../server/config/load.js'
import { createReader } from '../../3-store/reader.js'
import { walApplied } from '../../3-store/wal.js'
import { EVIDENCE_TABLES, readLedger } from '../../5-alarm/evidence/store.js'
import { ChainCheck, describe } from '../../5-alarm/evidence/verify.js'

const config = loadConfig()
if (config.questdb.pg === undefined) {
  console.error('QDB_PG is not set: point it at QuestDB\'s PG wire, e.g. postgres://admin:quest@127.0.0.1:8812/qdb')
  process.exit(2)
}
const reader = createReader(config.questdb.pg)
try {
  // what QuestDB acknowledged but has not applied yet would look like a missing record
  if (!await walApplied(reader, EVIDENCE_TABLES, { timeoutMs: 30_000 })) console.error('warning: QuestDB has not applied every evidence row yet; verifying what is visible')
  const check = new ChainCheck()
  for await (const row of readLedger(reader)) if (check.push(row) !== undefined) break
  const verdict = check.verdict()
  if (verdict.ok) console.log(describe(verdict))
  else {
    console.error(describe(verdict))
    process.exitCode = 1
  }
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
} finally {
  await reader.close()
}
