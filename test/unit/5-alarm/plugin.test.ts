import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Registry } from 'prom-client'
import alarmsPlugin from '../../../src/5-alarm/plugin.js'
import { PUBLISHED_TABLE, TRANSITIONS_TABLE } from '../../../src/5-alarm/persist.js'
import { loadConfig } from '../../../src/server/config/load.js'
import { ManualClock } from '../../../src/lib/clock.js'
import { alarmQueries, FakeReader, FakeWriter } from '../../helpers/fake-store.js'
import { FakeNats } from '../6-publish/fake-nats.js'
import { change, T0 } from './fixtures.js'

// Stand-ins for the infrastructure plugins, under the names and decorators the alarms plugin depends on.
function infra (writer: FakeWriter, nats: FakeNats, registry: Registry) {
  const reader = new FakeReader().on(alarmQueries(writer))
  return [
    // only the members the alarms plugin uses are faked
    fp(async (f) => { f.decorate('questdb', { writer, eventWriter: writer, reader } as unknown as FastifyInstance['questdb']) }, { name: 'questdb' }),
    fp(async (f) => { f.decorate('nats', { connection: nats.connection(), connected: () => true }) }, { name: 'nats' }),
    fp(async (f) => { f.decorate('metrics', { registry }) }, { name: 'metrics' }),
    fp(async (f) => { f.decorate('config', loadConfig({ MINEWATCH_ALARM_STREAM: 'ALARMS_T' })) }, { name: 'config' })
  ]
}

t.test('alarms - the plugin wires storage, the outbox and the service, and drains on close', async (t) => {
  const writer = new FakeWriter()
  const nats = new FakeNats()
  const registry = new Registry()
  const app = Fastify()
  for (const plugin of infra(writer, nats, registry)) await app.register(plugin)
  await app.register(alarmsPlugin, { clock: new ManualClock(T0 + 1000) })
  await app.ready()

  t.match(nats.streams.get('ALARMS_T'), { subjects: ['minewatch.alarm.>'], duplicate_window: 86400e9 })
  t.same(app.alarms.seeds(), [])
  await app.alarms.onCondition(change('red'))
  await app.close()
  t.equal(nats.stored.length, 1, 'published before close returned')
  t.equal(writer.rows(TRANSITIONS_TABLE).length, 1)
  t.match(writer.rows(PUBLISHED_TABLE), [{ seq: 1 }], 'the ack is recorded for the next start')
  t.match(await registry.metrics(), /minewatch_alarm_published_total/)
})

t.test('alarms - the plugin refuses to load without its dependencies', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(async () => { await app.register(alarmsPlugin) }, { code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED' })
})
