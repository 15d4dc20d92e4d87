// The alarms capability: the JetStream outbox and the alarm service, created once the infrastructure is up,
// started (state rebuilt, unacknowledged transitions republished) before anything can feed it, and drained
// on close before NATS and QuestDB go away (plugins close in reverse registration order).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { asyncScheduler, type SchedulerLike } from 'rxjs'
import { systemClock, type Clock } from '../lib/clock.js'
import { createPublisher } from '../6-publish/publisher.js'
import { createPublishMetrics } from '../6-publish/metrics.js'
import { ALARM_SUBJECTS } from '../6-publish/subjects.js'
import { createAlarmService, type AlarmService } from './service.js'
import { createAlarmMetrics } from './metrics.js'
import { createDeadlines } from './deadlines.js'
import { publishedRow, PUBLISHED_TABLE } from './persist.js'
import { createMaintenanceSweep, type MaintenanceSweep } from './maintenance/sweep.js'
import { coverFrom } from './maintenance/windows.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** alarms is the alarm service: the engine feeds onCondition, the routes list, get and act */
    alarms: AlarmService
    /** maintenanceSweep applies the maintenance windows to open alarms (when the maintenance plugin is there) */
    maintenanceSweep: MaintenanceSweep
  }
}

/** AlarmsPluginOptions tune the plugin; production passes none. */
export interface AlarmsPluginOptions {
  clock?: Clock
  /** what the service's retries wait on (default the wall clock) */
  scheduler?: SchedulerLike
  /** how long close waits for the outbox to empty (default 5000 ms) */
  drainTimeoutMs?: number
}

async function alarmsPlugin (fastify: FastifyInstance, opts: AlarmsPluginOptions): Promise<void> {
  // Transitions go out in commits of their own (an alarm waits for its audit row); the acks are not urgent
  // and ride along with the readings' batched commits.
  const { eventWriter: writer, writer: batchWriter, reader } = fastify.questdb
  const registry = fastify.metrics.registry
  const clock = opts.clock ?? systemClock
  const log = fastify.log.child({ component: 'alarms' })

  const publisher = await createPublisher({
    nc: fastify.nats.connection,
    stream: fastify.config.nats.stream,
    subjects: ALARM_SUBJECTS,
    duplicateWindowS: fastify.config.nats.duplicateWindowS,
    maxAgeS: Math.floor(fastify.config.retention.alarmStreamMaxAgeMs / 1000),
    // Recording the ack lets the next start skip it; if this write fails, that start republishes it as a duplicate.
    onPublished: async (record) => await batchWriter.writeRows(PUBLISHED_TABLE, [publishedRow(record)]),
    log: fastify.log.child({ component: 'publisher' }),
    metrics: createPublishMetrics(registry),
    clock
  })
  const windows = fastify.hasDecorator('maintenanceWindows') ? fastify.maintenanceWindows : undefined
  const service = createAlarmService({
    ...(windows === undefined ? {} : { cover: coverFrom(windows.all) }),
    writer,
    reader,
    publisher,
    clock,
    scheduler: opts.scheduler ?? asyncScheduler,
    log,
    metrics: createAlarmMetrics(registry),
    republishWindowMs: fastify.config.engine.republishDays * 86_400_000
  })
  await service.start()
  fastify.decorate('alarms', service)
  const { deadlines: d } = fastify.config
  const deadlines = createDeadlines({
    alarms: service,
    scheduler: opts.scheduler ?? asyncScheduler,
    clock,
    policy: { responseMs: d.responseMs, repairMs: d.repairMs, maxEscalations: d.maxEscalations },
    log: log.child({ part: 'deadlines' })
  })
  await deadlines.start()
  if (windows !== undefined) {
    const sweep = createMaintenanceSweep({ store: windows, alarms: service, scheduler: opts.scheduler ?? asyncScheduler, clock, log: log.child({ part: 'maintenance' }) })
    await sweep.start()
    fastify.decorate('maintenanceSweep', sweep)
    fastify.addHook('onClose', async () => { sweep.close() })
  }

  fastify.addHook('onClose', async () => {
    deadlines.close()
    await service.close()
    const drained = await publisher.drain(opts.drainTimeoutMs ?? 5000)
    if (!drained) log.warn({ pending: publisher.pending() }, 'alarm outbox not empty at shutdown; republished at the next start')
    publisher.close()
  })
}

/** alarms is the plugin that decorates fastify.alarms. */
export default fp(alarmsPlugin, { name: 'alarms', dependencies: ['config', 'questdb', 'nats', 'metrics'] })
