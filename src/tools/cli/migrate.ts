// `npm run migrate`: apply pending migrations to the QuestDB named by QDB_PG (the server also does this at start).
import { loadConfig } from '../../server/config/load.js'
import { createReader } from '../../3-store/reader.js'
import { migrate } from '../../3-store/migrate.js'
import { migrationsDir } from '../../3-store/paths.js'

const config = loadConfig()
if (config.questdb.pg === undefined) {
  console.error('QDB_PG is not set: point it at QuestDB\'s PG wire, e.g. postgres://admin:quest@127.0.0.1:8812/qdb')
  process.exit(2)
}
const reader = createReader(config.questdb.pg)
try {
  const applied = await migrate(reader, migrationsDir())
  console.log(applied.length === 0 ? 'no pending migrations' : `applied: ${applied.join(', ')}`)
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
} finally {
  await reader.close()
}
