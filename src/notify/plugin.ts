// The notify capability (issue item 7): the rosters bucket, the notify outbox and stream, the planner that
// turns alarm transitions into jobs on the injected scheduler, and the consumer that delivers them. Registered
// after the alarms; on close the planner stops first, the consumer finishes the attempts in progress, and the
// outbox drains before NATS goes away (plugins close in reverse order). What a shutdown or a crash leaves
// unsent (jobs in the outbox, rounds not planned, repeats due while down) the next start plans again from
// the open alarms, leaving out the jobs the delivery records show (rounds.ts).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { asyncScheduler, type SchedulerLike } from 'rxjs'
import { walApplied } from '../3-store/wal.js'
import { createMailer } from './channels/email.js'
import { deliver } from './channels/index.js'
import { startDeliveries } from './deliveries.js'
import { createNotifyMetrics } from './metrics.js'
import { createNotifyOutbox } from './outbox.js'
import { createPlanner, type Planner } from './planner.js'
import { openRosterStore, type RosterStore } from './roster-store.js'
import { NOTIFICATIONS_TABLE, recordedJobs, toDeliveryRow } from './store.js'

/** Notify is what the routes (and tests) reach. */
export interface Notify {
  rosters: RosterStore
  planner: Pick<Planner, 'idle' | 'repeating' | 'planned'>
  /** e-mail can be sent (MINEWATCH_SMTP_URL is set) */
  email: boolean
}

declare module 'fastify' {
  interface FastifyInstance { notify: Notify }
}

/** NotifyPluginOptions: the scheduler the repeats run on (a test's virtual one; default the wall clock). */
export interface NotifyPluginOptions { scheduler?: SchedulerLike }

async function notifyPlugin (fastify: FastifyInstance, opts: NotifyPluginOptions): Promise<void> {
  const c = fastify.config.notify
  const log = fastify.log.child({ component: 'notify' })
  const nc = fastify.nats.connection
  const metrics = createNotifyMetrics(fastify.metrics.registry)
  const rosters = await openRosterStore(nc)
  const outbox = await createNotifyOutbox({
    nc, stream: c.stream, duplicateWindowS: fastify.config.nats.duplicateWindowS, maxAgeS: Math.ceil(c.maxAgeMs / 1000), log, metrics
  })
  const mailer = c.smtp === undefined ? undefined : createMailer(c.smtp.url, c.smtp.from, c.timeoutMs)
  const deliveries = await startDeliveries({
    nc,
    stream: c.stream,
    maxAttempts: c.maxAttempts,
    retryMinMs: c.retryMinMs,
    retryMaxMs: c.retryMaxMs,
    attemptTimeoutMs: c.timeoutMs,
    send: async (job) => await deliver(job, { mailer, timeoutMs: c.timeoutMs, text: { timezone: c.timezone, publicUrl: c.publicUrl }, now: () => fastify.clock.now() }),
    record: async (d) => {
      await fastify.questdb.eventWriter.writeRows(NOTIFICATIONS_TABLE, [toDeliveryRow(d)])
        .catch((err: unknown) => log.error({ err, delivery: d }, 'notification attempt not recorded'))
    },
    metrics,
    clock: fastify.clock,
    log
  })
  const { reader } = fastify.questdb
  const planner = createPlanner({
    alarms: fastify.alarms,
    rosters,
    recorded: async (alarmId, sinceMs) => await recordedJobs(reader, alarmId, sinceMs),
    outbox,
    scheduler: opts.scheduler ?? asyncScheduler,
    clock: fastify.clock,
    repeatMs: c.repeatMs,
    log
  })
  // the records of the attempts made before the restart must be visible, or their jobs would be sent again;
  // real time on purpose, as the alarm service's start (virtual-time tests move time only after it)
  if (!await walApplied(reader, [NOTIFICATIONS_TABLE], { scheduler: asyncScheduler }).catch(() => false)) {
    log.warn({}, 'QuestDB has not applied all delivery records yet: a job delivered just before the restart may be sent again')
  }
  if (fastify.config.nats.duplicateWindowS * 1000 < c.maxAgeMs) {
    log.warn({ duplicateWindowS: fastify.config.nats.duplicateWindowS, maxAgeMs: c.maxAgeMs },
      'the duplicate window is shorter than the notify max age: a job waiting in the stream over a restart may be stored twice')
  }
  await planner.start()
  fastify.decorate('notify', { rosters, planner, email: mailer !== undefined })

  fastify.addHook('onClose', async () => {
    planner.close()
    await planner.idle()
    await deliveries.close()
    if (!await outbox.drain(5000)) log.warn({ pending: outbox.pending() }, 'notify outbox not empty at shutdown: planned again at the next start, for the alarms still open')
    outbox.close()
    mailer?.close()
  })
}

/** notify is the plugin that decorates fastify.notify. */
export default fp(notifyPlugin, { name: 'notify', dependencies: ['config', 'clock', 'questdb', 'nats', 'metrics', 'alarms'] })
