// The engine capability: rules loaded from MINEWATCH_RULES_DIR, reloaded by cron, SIGHUP or POST
// /v1/rules/reload (a broken file keeps the running set and its errors are shown), the engine restored
// from alarms and recent readings, and every condition change handed to the alarm service.
import fp from 'fastify-plugin'
import cron from 'node-cron'
import { asyncScheduler, map, merge, type SchedulerLike } from 'rxjs'
import type { ReadingRow } from '../contract/rows.js'
import { createEngine, type Engine } from './engine.js'
import type { EngineInput } from './inputs.js'
import { createEngineMetrics } from './metrics.js'
import { loadRules, type RuleFileError } from './load-rules.js'
import { restoreEngine } from './restore.js'
import type { RuleDef } from './rule-file.js'

/** RulesState is what GET /v1/rules shows besides per-rule health. */
export interface RulesState { rules: RuleDef[], errors: RuleFileError[], loadedAt: number, files: string[] }

declare module 'fastify' {
  interface FastifyInstance {
    engine: { ingest: (rows: readonly ReadingRow[]) => void, core: Engine, rules: () => RulesState, reload: () => Promise<RulesState> }
  }
}

/** EnginePluginOptions let tests run the engine on a virtual scheduler. */
export interface EnginePluginOptions { scheduler?: SchedulerLike }

/** enginePlugin exposes `fastify.engine`. */
export default fp<EnginePluginOptions>(async (fastify, opts) => {
  const { config } = fastify
  const scheduler = opts.scheduler ?? asyncScheduler
  const log = fastify.log.child({ component: 'engine' })
  const engine = createEngine({
    scheduler,
    registry: fastify.registry.view,
    channels: fastify.video.view,
    lateAfterMs: config.engine.lateAfterMs,
    offlineCheckMs: config.engine.offlineCheckMs,
    log
  })
  const metrics = createEngineMetrics(fastify.metrics.registry, engine)
  let state: RulesState = { rules: [], errors: [], loadedAt: 0, files: [] }

  async function reload (): Promise<RulesState> {
    const result = await loadRules(config.rulesDir)
    metrics.loadErrors.set(result.errors.length)
    const keepOld = result.errors.length > 0 && state.loadedAt > 0
    for (const e of result.errors) log.error({ file: e.file, line: e.line, column: e.column, path: e.path }, `rule file error: ${e.message}`)
    if (keepOld) {
      state = { ...state, errors: result.errors }
      log.warn({ errors: result.errors.length }, 'rule files have errors: the running rule set stays')
      return state
    }
    // First load: run what is valid rather than nothing, and keep showing the errors.
    state = { rules: result.rules, errors: result.errors, loadedAt: scheduler.now(), files: result.files }
    engine.setRules(result.rules)
    log.info({ rules: result.rules.length, files: result.files.length }, 'rules loaded')
    return state
  }

  await reload()
  const subscription = engine.changes$.subscribe((change) => {
    fastify.alarms.onCondition(change).catch((err: Error) => {
      metrics.conditionFailures.inc()
      log.error({ err, key: change.key }, 'condition change not applied')
    })
  })
  // Personnel and video reach the engine once stored, like readings; the rules see them on the same timeline.
  const inputs = merge(
    fastify.personnel.snapshots.pipe(map((snapshot): EngineInput[] => [{ type: 'personnel', snapshot, receivedAt: fastify.clock.now() }])),
    fastify.personnel.events.pipe(map((event): EngineInput[] => [{ type: 'sos', event }])),
    fastify.video.events$.pipe(map((rows) => rows.map((event): EngineInput => ({ type: 'video_event', event })))),
    fastify.video.heartbeats$.pipe(map((rows) => rows.map((heartbeat): EngineInput => ({ type: 'video_heartbeat', heartbeat }))))
  ).subscribe((batch) => { engine.observe(batch); metrics.sync() })
  const since = scheduler.now() - config.engine.restoreLookbackMs
  const replayed = await restoreEngine(engine, fastify.alarms.seeds(), fastify.questdb.reader, since)
  log.info({ replayed }, 'engine restored')

  // A reload nobody asked for over the API (the schedule, SIGHUP) is audited when it changed something: the rule
  // set running, or the errors of the files; an unchanged folder read every 30 s leaves no trace.
  const automatic = (trigger: 'schedule' | 'SIGHUP') => async (): Promise<void> => {
    const before = fingerprint(state)
    const after = await reload()
    if (fingerprint(after) === before) return
    await fastify.audit.record({
      action: 'rules_reload',
      outcome: after.errors.length === 0 ? 'ok' : 'failed',
      actor: 'minewatch',
      actorKind: 'none',
      actorRole: null,
      target: 'rules',
      detail: { trigger, rules: after.rules.length, errors: after.errors.length }
    })
  }
  const job = cron.schedule(config.engine.rulesReloadCron, () => { automatic('schedule')().catch((err: Error) => log.error({ err }, 'rule reload failed')) })
  const onHup = (): void => { automatic('SIGHUP')().catch((err: Error) => log.error({ err }, 'rule reload failed')) }
  process.on('SIGHUP', onHup)

  fastify.decorate('engine', {
    ingest (rows: readonly ReadingRow[]) { engine.ingest(rows); metrics.sync() },
    core: engine,
    rules: () => state,
    reload
  })
  fastify.addHook('onClose', async () => {
    await job.stop()
    process.off('SIGHUP', onHup)
    engine.stop()
    inputs.unsubscribe()
    subscription.unsubscribe()
  })
}, { name: 'engine', dependencies: ['config', 'metrics', 'registry', 'alarms', 'questdb', 'video', 'personnel', 'clock', 'audit'] })

/** fingerprint is what a reload may change: each rule's id and version, and the load errors. */
function fingerprint (s: RulesState): string {
  return JSON.stringify([s.rules.map((r) => `${r.id}@${r.ruleVersion}`).sort(), s.errors.map((e) => `${e.file}:${e.line}:${e.message}`)])
}
