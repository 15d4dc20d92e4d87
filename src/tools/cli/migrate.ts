// `minewatch migrate` (`npm run migrate`): apply pending migrations to the QuestDB named by QDB_PG (the server
// also does this at start). Exit 0 done, 1 a migration failed, 2 not configured.
import { pathToFileURL } from 'node:url'
import { migrate } from '../../3-store/migrate.js'
import { migrationsDir } from '../../3-store/paths.js'
import type { Output } from './rules-check.js'
import { withPgReader } from './pg.js'

export const USAGE = 'usage: minewatch migrate\n  applies migrations/ to the QuestDB of QDB_PG (postgres://admin:quest@host:8812/qdb)'

/** main applies the pending migrations and returns the exit code. */
export async function main (argv: readonly string[], io: Output): Promise<number> {
  if (argv.length > 0) { io.err(`unexpected argument ${argv[0] ?? ''}\n${USAGE}`); return 2 }
  return await withPgReader(io, async (reader) => {
    const applied = await migrate(reader, migrationsDir())
    io.out(applied.length === 0 ? 'no pending migrations' : `applied: ${applied.join(', ')}`)
    return 0
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) })
}
