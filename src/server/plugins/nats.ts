// The NATS connection: reconnects forever (the publisher's outbox waits meanwhile), status changes are
// logged and counted, and close drains so in-flight publishes finish.
import fp from 'fastify-plugin'
import { connect, type NatsConnection } from 'nats'
import { Counter, Gauge } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance { nats: { connection: NatsConnection, connected: () => boolean } }
}

/** NatsOptions is where NATS listens (configured or embedded). */
export interface NatsOptions { url: string }

/** natsPlugin exposes `fastify.nats`. */
export default fp<NatsOptions>(async (fastify, opts) => {
  const registry = fastify.metrics.registry
  const up = new Gauge({ name: 'minewatch_nats_connected', help: '1 while connected to NATS.', registers: [registry] })
  const events = new Counter({
    name: 'minewatch_nats_status_events_total',
    help: 'NATS connection status events by type.',
    labelNames: ['type'],
    registers: [registry]
  })
  const connection = await connect({
    servers: opts.url,
    name: 'minewatch',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true
  })
  let connected = true
  up.set(1)
  const watch = async (): Promise<void> => {
    for await (const s of connection.status()) {
      events.inc({ type: s.type })
      if (s.type === 'disconnect') { connected = false; up.set(0) }
      if (s.type === 'reconnect') { connected = true; up.set(1) }
      fastify.log.info({ nats: s.type, data: String(s.data) }, 'nats status')
    }
  }
  watch().catch((err: Error) => fastify.log.error({ err }, 'nats status stream ended'))
  fastify.decorate('nats', { connection, connected: () => connected && !connection.isClosed() })
  fastify.addHook('onClose', async () => {
    if (!connection.isClosed()) await connection.drain().catch(() => {})
    // a drain during an outage gives up without closing (nats.js swallows the failed flush): the connection
    // would go on reconnecting and keep the process alive
    if (!connection.isClosed()) await connection.close()
  })
}, { name: 'nats', dependencies: ['config', 'metrics'] })
