// One prom-client Registry per app instance (never the global one), default process metrics, GET /metrics.
import fp from 'fastify-plugin'
import { Registry, collectDefaultMetrics } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance { metrics: { registry: Registry } }
}

/** metricsPlugin exposes `fastify.metrics.registry` and serves it in Prometheus text format. */
export default fp(async (fastify) => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'minewatch_' })
  fastify.decorate('metrics', { registry })
  fastify.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.type(registry.contentType)
    return await registry.metrics()
  })
}, { name: 'metrics' })
