// The commands that read QuestDB over PG wire (migrate, evidence verify) share this: QDB_PG from the one
// configuration, a reader closed whatever happens, a failure printed as one line. Exit 2: not configured.
import { loadConfig } from '../../server/config/load.js'
import { createReader } from '../../3-store/reader.js'
import type { Reader } from '../../3-store/types.js'
import type { Output } from './rules-check.js'

/** NO_PG is the message of every command that reads QuestDB when QDB_PG is not set. */
export const NO_PG = 'QDB_PG is not set: point it at QuestDB\'s PG wire, e.g. postgres://admin:quest@127.0.0.1:8812/qdb'

/** withPgReader runs `work` with a reader of QDB_PG and returns its exit code (1 when it throws). */
export async function withPgReader (io: Output, work: (reader: Reader) => Promise<number>): Promise<number> {
  const pg = loadConfig().questdb.pg
  if (pg === undefined) { io.err(NO_PG); return 2 }
  const reader = createReader(pg)
  try {
    return await work(reader)
  } catch (err) {
    io.err((err as Error).message)
    return 1
  } finally {
    await reader.close()
  }
}
