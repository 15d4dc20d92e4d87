// Operations (section 8): liveness, readiness of the two dependencies. QuestDB is "up" only when it answers
// queries and both writers' commits reach it: a writer whose last commit failed is asked again with an empty
// commit over its own connection, so /ready turns 503 while writes fail and 200 again as soon as they pass.
import type { FastifyInstance } from 'fastify'
import type { QuestDbWriter } from '../../3-store/writer.js'

async function writes (writer: QuestDbWriter): Promise<string | null> {
  if (writer.health().up || await writer.probe()) return null
  return writer.health().lastError ?? 'commits fail'
}

/** opsRoutes registers /health and /ready. */
export default async function opsRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))
  fastify.get('/ready', { logLevel: 'warn' }, async (_request, reply) => {
    const { reader, writer, eventWriter } = fastify.questdb
    const [reads, ...writeProblems] = await Promise.all([reader.ping(), writes(writer), writes(eventWriter)])
    const writeProblem = writeProblems.find((p) => p !== null) ?? null
    const questdb = reads && writeProblem === null
    const nats = fastify.nats.connected()
    const ready = questdb && nats
    return await reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      questdb: questdb ? 'up' : 'down',
      nats: nats ? 'up' : 'down',
      ...(reads && writeProblem !== null ? { detail: `QuestDB answers queries but takes no writes: ${writeProblem}` } : {})
    })
  })
}
