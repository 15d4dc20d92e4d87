// The risk capability: the risk stream and outbox, the service rebuilt from the open alarms and reconciled
// with what the stream last holds per site, fed by every stored alarm transition. Registered after the alarms
// and the engine, so it closes first: transitions during shutdown are not lost, only rebuilt at the next start.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createRiskMetrics } from './metrics.js'
import { createRiskOutbox } from './outbox.js'
import { lastPublished } from './restore.js'
import { rollupRuleIds } from './rollups.js'
import { DEFAULT_RISK_PARAMS } from './score.js'
import { createRiskService, type RiskService } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** risk is the composite site risk: per-site state for the routes */
    risk: RiskService
  }
}

async function riskPlugin (fastify: FastifyInstance): Promise<void> {
  const { config } = fastify
  const log = fastify.log.child({ component: 'risk' })
  const nc = fastify.nats.connection
  const metrics = createRiskMetrics(fastify.metrics.registry)
  const outbox = await createRiskOutbox({
    nc, stream: config.risk.stream, duplicateWindowS: config.nats.duplicateWindowS, maxMsgsPerSubject: config.risk.historyPerSite, log, metrics
  })
  const restored = await lastPublished(nc, config.risk.stream).catch((err: unknown) => {
    log.warn({ err }, 'cannot read the last risk changes back; every site with an open alarm is published afresh')
    return undefined
  })
  const service = createRiskService({
    alarms: fastify.alarms,
    publish: (change) => {
      metrics.changes.inc({ level: change.level ?? 'none' })
      outbox.enqueue(change)
    },
    clock: fastify.clock,
    params: { ...DEFAULT_RISK_PARAMS, hysteresis: config.risk.hysteresis, multiSourceBonus: config.risk.multiSourceBonus },
    step: config.risk.step,
    log,
    // Read at computation time: a reload may add or remove roll-up rules.
    rollupRules: rollupRuleIds(() => fastify.engine.rules().rules)
  })
  metrics.observeLevels(() => service.sites().map((s) => s.level))
  await service.start(restored)
  fastify.decorate('risk', service)

  fastify.addHook('onClose', async () => {
    service.close()
    if (!await outbox.drain(2000)) log.warn({ pending: outbox.pending() }, 'risk outbox not empty at shutdown; the state is rebuilt at the next start')
    outbox.close()
  })
}

/** risk is the plugin that decorates fastify.risk. */
export default fp(riskPlugin, { name: 'risk', dependencies: ['config', 'clock', 'nats', 'metrics', 'alarms', 'engine'] })
