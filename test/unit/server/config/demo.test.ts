import t from 'tap'
import { demoEnabled, loadConfig } from '../../../../src/server/config/load.js'

const EXTERNAL = { QDB_HTTP: 'http://127.0.0.1:9000', QDB_PG: 'postgres://admin:quest@127.0.0.1:8812/qdb', NATS_URL: 'nats://127.0.0.1:4222' }

t.test('config - MINEWATCH_DEMO has no default: on for the embedded default, off with configured services', async (t) => {
  t.equal(loadConfig({}).demo, undefined)
  t.equal(demoEnabled(loadConfig({})), true, 'both embedded')
  t.equal(demoEnabled(loadConfig(EXTERNAL)), false, 'both configured')
  t.equal(demoEnabled(loadConfig({ NATS_URL: EXTERNAL.NATS_URL })), false, 'only QuestDB embedded')
  t.equal(demoEnabled(loadConfig({ QDB_HTTP: EXTERNAL.QDB_HTTP, QDB_PG: EXTERNAL.QDB_PG })), false, 'only NATS embedded')
  t.equal(demoEnabled(loadConfig({ ...EXTERNAL, MINEWATCH_DEMO: 'true' })), true, 'asked for')
  t.equal(demoEnabled(loadConfig({ MINEWATCH_DEMO: 'false' })), false, 'turned off')
  t.throws(() => loadConfig({ MINEWATCH_DEMO: 'sometimes' }))
})
