// The KPI capability (docs/kpi.md): `fastify.kpi.report()` for the route, and the daily job on MINEWATCH_KPI_CRON
// in MINEWATCH_KPI_TZ (00:05 Beijing time by default) writing the day before yesterday and yesterday into
// kpi_daily. Once the server is ready (not holding the start), a yesterday without its rows is written then: a
// server that was down at 00:05 still has its daily row. One run at a time; close waits for a run in progress.
import fp from 'fastify-plugin'
import cron from 'node-cron'
import type { FastifyInstance } from 'fastify'
import { sqlTimestamp } from '../3-store/types.js'
import { OVERALL } from './compute.js'
import { createDailyJob, KPI_DAILY_TABLE, type DailyJob } from './daily.js'
import { dayStart } from './days.js'
import { createKpiService, type KpiService } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** kpi computes the KPI report (GET /v1/reports/kpi) and runs the daily job (`runDue`, or one day) */
    kpi: KpiService & { runDay: DailyJob['runDay'], runDue: () => Promise<void> }
  }
}

async function kpiPlugin (fastify: FastifyInstance): Promise<void> {
  const { config, clock } = fastify
  const { reader, writer } = fastify.questdb
  const view = fastify.registry.view
  const log = fastify.log.child({ component: 'kpi' })
  const service = createKpiService({ reader, registry: view, clock })
  const job = createDailyJob({ kpi: service, writer, sites: () => view.sites().map((s) => s.code), timezone: config.kpi.timezone, log })
  let running: Promise<void> | undefined
  // one run at a time: a run asked for while one goes on waits for it, then runs; a failure is logged here and
  // rejects the caller's promise (the scheduled runs have nothing more to do with it)
  const serial = async <T>(work: () => Promise<T>): Promise<T> => {
    const result = (running ?? Promise.resolve()).then(work)
    const settled = result.then(() => {}, (err: unknown) => { log.error({ err }, 'daily KPI run failed; tried again at the next run') })
    running = settled
    settled.finally(() => { if (running === settled) running = undefined }).catch(() => {})
    return await result
  }
  const writeDue = async (): Promise<void> => { for (const day of job.due(clock.now())) await job.runDay(day) }
  const runDue = async (): Promise<void> => { await serial(writeDue) }
  const runDay = async (day: string): Promise<number> => await serial(async () => await job.runDay(day))
  // yesterday's fleet row missing (the server was down at the scheduled time): write the due days now
  const catchUp = async (): Promise<void> => {
    if (view.sites().length === 0) return
    const yesterday = job.due(clock.now()).at(-1) as string
    const start = dayStart(yesterday, config.kpi.timezone)
    const [found] = await reader.query<{ n: string }>(`SELECT count() n FROM ${KPI_DAILY_TABLE} WHERE ts = ${sqlTimestamp(start)} AND site = $1`, [OVERALL])
    if (Number(found?.n ?? 0) === 0) await writeDue()
  }
  const task = cron.schedule(config.kpi.dailyCron, () => { runDue().catch(() => {}) }, { timezone: config.kpi.timezone, name: 'kpi-daily' })
  fastify.addHook('onReady', async () => {
    serial(catchUp).catch(() => {})
  })
  fastify.addHook('onClose', async () => {
    await task.stop()
    await running
  })
  fastify.decorate('kpi', { ...service, runDay, runDue })
}

/** kpi is the plugin that decorates fastify.kpi and schedules the daily rows. */
export default fp(kpiPlugin, { name: 'kpi', dependencies: ['config', 'clock', 'questdb', 'registry'] })
