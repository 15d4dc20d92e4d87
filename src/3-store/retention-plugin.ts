// Retention as a capability: applied once the server is ready (not holding the start) and then on
// MINEWATCH_RETENTION_CRON, one run at a time; close waits for a run in progress. Its counter tells the
// partitions each table dropped (the table label is bounded: the policies' tables).
import fp from 'fastify-plugin'
import cron from 'node-cron'
import { Counter, Gauge } from 'prom-client'
import type { FastifyInstance } from 'fastify'
import { applyRetention } from './retention.js'

async function retentionPlugin (fastify: FastifyInstance): Promise<void> {
  const { config, clock } = fastify
  const log = fastify.log.child({ component: 'retention' })
  const dropped = new Counter({ name: 'minewatch_retention_partitions_dropped_total', help: 'Partitions dropped by retention, by table.', labelNames: ['table'], registers: [fastify.metrics.registry] })
  const lastRun = new Gauge({ name: 'minewatch_retention_last_run_seconds', help: 'Unix time of the last retention run that completed.', registers: [fastify.metrics.registry] })
  let running: Promise<void> | undefined
  const run = (): Promise<void> => {
    running ??= (async () => {
      const outcomes = await applyRetention(fastify.questdb.reader, config.retention, clock.now(), log)
      for (const o of outcomes) if (o.dropped.length > 0) dropped.inc({ table: o.table }, o.dropped.length)
      lastRun.set(clock.now() / 1000)
      log.info({ tables: outcomes.length, dropped: outcomes.reduce((n, o) => n + o.dropped.length, 0) }, 'retention applied')
    })().catch((err: unknown) => log.error({ err }, 'retention run failed; tried again at the next run')).finally(() => { running = undefined })
    return running
  }
  // a run logs its own failure: nothing to wait for here
  const job = cron.schedule(config.retention.cron, () => { run().catch(() => {}) })
  fastify.addHook('onReady', async () => { run().catch(() => {}) })
  fastify.addHook('onClose', async () => {
    await job.stop()
    await running
  })
  fastify.decorate('retention', { run })
}

declare module 'fastify' {
  interface FastifyInstance {
    /** retention runs the retention now (also daily and at start) */
    retention: { run: () => Promise<void> }
  }
}

/** retention is the plugin that trims the tables on schedule. */
export default fp(retentionPlugin, { name: 'retention', dependencies: ['config', 'clock', 'metrics', 'questdb'] })
