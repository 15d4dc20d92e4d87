// "Nothing (more) was stored" can only be checked once QuestDB has applied every write it acknowledged: its WAL
// is applied a moment after the ack. walApplied waits for that, bounded.
import type { Reader } from '../../src/store/types.js'
import { until } from './wait.js'

/** walApplied resolves once every acknowledged write to `tables` is applied (writerTxn caught up with sequencerTxn). */
export async function walApplied (reader: Reader, tables: readonly string[]): Promise<void> {
  const sql = `SELECT name, writerTxn, sequencerTxn FROM wal_tables() WHERE name IN (${tables.map((n) => `'${n}'`).join(', ')})`
  await until(async () => {
    const rows = await reader.query<{ writerTxn: unknown, sequencerTxn: unknown }>(sql)
    return rows.length === tables.length && rows.every((r) => Number(r.writerTxn) >= Number(r.sequencerTxn)) ? true : undefined
  }, `QuestDB to apply the WAL of ${tables.join(', ')}`, 30_000, 20)
}
