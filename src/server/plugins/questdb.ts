// QuestDB: the group-commit ILP writer for writes, a PG-wire pool for reads, migrations at start.
import fp from 'fastify-plugin'
import { createQuestDbWriter, type QuestDbWriter } from '../../3-store/writer.js'
import { createReader, type QuestDbReader } from '../../3-store/reader.js'
import { createStoreMetrics } from '../../3-store/metrics.js'
import { migrate } from '../../3-store/migrate.js'
import { migrationsDir } from '../../3-store/paths.js'

declare module 'fastify' {
  interface FastifyInstance {
    questdb: {
      /** writer batches the readings: big commits, a short delay (MINEWATCH_FLUSH_INTERVAL_MS) */
      writer: QuestDbWriter
      /** eventWriter carries the few latency-sensitive rows (alarm transitions, registry changes) in commits of their own */
      eventWriter: QuestDbWriter
      reader: QuestDbReader
      httpUrl: string
      pgUrl: string
    }
  }
}

/** QuestDbOptions are the addresses to use (configured or embedded). */
export interface QuestDbOptions { httpUrl: string, pgUrl: string }

/** questdbPlugin connects, migrates and exposes `fastify.questdb`; on close it flushes and disconnects. */
export default fp<QuestDbOptions>(async (fastify, opts) => {
  const { config } = fastify
  const reader = createReader(opts.pgUrl)
  const applied = await migrate(reader, migrationsDir())
  if (applied.length > 0) fastify.log.info({ applied }, 'migrations applied')
  const common = {
    httpUrl: opts.httpUrl,
    retryTimeoutMs: config.questdb.retryTimeoutMs,
    requestTimeoutMs: config.questdb.requestTimeoutMs,
    metrics: createStoreMetrics(fastify.metrics.registry),
    onRestart: (reason: string) => fastify.log.warn({ reason }, 'QuestDB writer restarted: new connection and buffer')
  }
  const writer = await createQuestDbWriter({ ...common, ...config.store })
  // An alarm is published only after its audit row is stored: waiting behind a readings commit (and its
  // flush delay) would put that commit's latency on every alarm.
  const eventWriter = await createQuestDbWriter({ ...common, flushIntervalMs: 1, flushRows: 1000, maxPendingRows: 100_000 })
  fastify.decorate('questdb', { writer, eventWriter, reader, httpUrl: opts.httpUrl, pgUrl: opts.pgUrl })
  // Registered first among the data plugins, so closed last: everything else has flushed into it by then.
  fastify.addHook('onClose', async () => {
    await writer.close()
    await eventWriter.close()
    await reader.close()
  })
}, { name: 'questdb', dependencies: ['config', 'metrics'] })
