// Operations (section 8): liveness, readiness of the two dependencies.
import type { FastifyInstance } from 'fastify'

/** opsRoutes registers /health and /ready. */
export default async function opsRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))
  fastify.get('/ready', { logLevel: 'warn' }, async (_request, reply) => {
    const questdb = await fastify.questdb.reader.ping()
    const nats = fastify.nats.connected()
    const ready = questdb && nats
    return await reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      questdb: questdb ? 'up' : 'down',
      nats: nats ? 'up' : 'down'
    })
  })
}
