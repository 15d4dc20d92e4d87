// minewatch's own heartbeat (docs/kpi.md, system availability 系统利用率): a row in server_heartbeat at start and
// every period while the server runs, on the injected scheduler and clock, through the batched writer. A beat
// that cannot be stored is logged (once per failing streak) and not retried: the gap it leaves is the truth, as
// the server could not write then.
import { hostname } from 'node:os'
import fp from 'fastify-plugin'
import { asyncScheduler, interval, type SchedulerLike } from 'rxjs'
import type { Row, Writer } from '../3-store/types.js'
import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import { HEARTBEAT_TABLE } from './queries.js'

/** heartbeatRow is one server_heartbeat row. */
export function heartbeatRow (instance: string, startedAt: number, periodMs: number, ts: number): Row {
  return {
    symbols: { instance },
    columns: { started_at: startedAt, period_s: Math.round(periodMs / 1000) },
    ints: ['period_s'],
    timestamps: ['started_at'],
    ts
  }
}

/** HeartbeatOptions: where and how often to beat. */
export interface HeartbeatOptions { writer: Writer, scheduler: SchedulerLike, clock: Clock, periodMs: number, instance: string, log: Log }

/** startHeartbeat writes a beat now and every period; the result stops it. */
export function startHeartbeat (o: HeartbeatOptions): { stop: () => void } {
  const startedAt = o.clock.now()
  let failing = false
  const beat = (): void => {
    o.writer.writeRows(HEARTBEAT_TABLE, [heartbeatRow(o.instance, startedAt, o.periodMs, o.clock.now())]).then(() => {
      if (failing) o.log.info({}, 'heartbeat stored again')
      failing = false
    }, (err: unknown) => {
      if (!failing) o.log.warn({ err }, 'heartbeat not stored: the gap counts as down time')
      failing = true
    })
  }
  beat()
  const ticks = interval(o.periodMs, o.scheduler).subscribe(beat)
  return { stop: () => { ticks.unsubscribe() } }
}

/** HeartbeatPluginOptions let tests beat on a virtual scheduler. */
export interface HeartbeatPluginOptions { scheduler?: SchedulerLike }

/** heartbeatPlugin beats from the time storage is up until close. */
export default fp<HeartbeatPluginOptions>(async (fastify, opts) => {
  const heart = startHeartbeat({
    writer: fastify.questdb.writer,
    scheduler: opts.scheduler ?? asyncScheduler,
    clock: fastify.clock,
    periodMs: fastify.config.kpi.heartbeatMs,
    instance: `${hostname()}:${process.pid}`,
    log: fastify.log.child({ component: 'heartbeat' })
  })
  fastify.addHook('onClose', async () => { heart.stop() })
}, { name: 'heartbeat', dependencies: ['config', 'clock', 'questdb'] })
