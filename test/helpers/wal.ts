// "Nothing (more) was stored" can only be checked once QuestDB has applied every write it acknowledged: its WAL
// is applied a moment after the ack. walApplied waits for that, bounded (src/3-store/wal.ts), and fails the test
// on the bound.
import type { Reader } from '../../src/3-store/types.js'
import { walApplied as applied } from '../../src/3-store/wal.js'

/** walApplied resolves once every acknowledged write to `tables` is applied (each listed, writerTxn caught up with sequencerTxn). */
export async function walApplied (reader: Reader, tables: readonly string[]): Promise<void> {
  const timeoutMs = 30_000
  if (!await applied(reader, tables, { timeoutMs, intervalMs: 20, requireListed: true })) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for QuestDB to apply the WAL of ${tables.join(', ')}`)
  }
}
