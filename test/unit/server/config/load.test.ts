// The configuration from the environment: every number finite (Ajv coerces "1e309" to Infinity after checking
// the type), and the server's own rule that QuestDB's two addresses come together.
import t from 'tap'
import { checkServerQuestDb, loadConfig } from '../../../../src/server/config/load.js'

t.test('config - a number that is not finite is refused, naming the variable', async (t) => {
  for (const [name, value] of [['MINEWATCH_FLUSH_INTERVAL_MS', '1e309'], ['MINEWATCH_MAX_BATCH_ITEMS', 'Infinity'], ['PORT', '-Infinity'], ['MINEWATCH_RISK_STEP', '1e309']]) {
    t.throws(() => loadConfig({ [name as string]: value }), { code: 'MW_ERR_INVALID_CONFIG', message: new RegExp(`env/${name as string} must be`) }, `${name as string}=${value as string}`)
  }
  t.equal(loadConfig({ MINEWATCH_FLUSH_INTERVAL_MS: '1e2' }).store.flushIntervalMs, 100, 'a finite number in any notation is taken')
})

t.test('config - the server needs QDB_HTTP and QDB_PG together; a tool that only reads needs QDB_PG alone', async (t) => {
  const pgOnly = loadConfig({ QDB_PG: 'postgres://admin:quest@127.0.0.1:8812/qdb' })
  t.equal(pgOnly.questdb.pg, 'postgres://admin:quest@127.0.0.1:8812/qdb')
  t.throws(() => checkServerQuestDb(pgOnly), { code: 'MW_ERR_INVALID_CONFIG', message: /set together/ })
  t.throws(() => checkServerQuestDb(loadConfig({ QDB_HTTP: 'http://127.0.0.1:9000' })), { code: 'MW_ERR_INVALID_CONFIG' })
  t.doesNotThrow(() => checkServerQuestDb(loadConfig({})), 'neither: the embedded QuestDB')
  t.doesNotThrow(() => checkServerQuestDb(loadConfig({ QDB_HTTP: 'http://127.0.0.1:9000', QDB_PG: 'postgres://admin:quest@127.0.0.1:8812/qdb' })))
})
