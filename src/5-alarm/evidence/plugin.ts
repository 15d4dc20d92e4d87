// The evidence capability (docs/evidence.md): the ledger's one writer and the fixing of each raised alarm's
// record, on the injected clock and scheduler. Registered after the engine (it reads the loaded rules), so it
// closes before the alarms and storage it uses.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { asyncScheduler, type SchedulerLike } from 'rxjs'
import { createLedger } from './ledger.js'
import { createEvidence, type EvidenceService, type LoadedRule } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** evidence finds the fixed record of an alarm (the routes), or when it will be fixed */
    evidence: EvidenceService
  }
}

/** EvidencePluginOptions let tests run the timers on a virtual scheduler. */
export interface EvidencePluginOptions { scheduler?: SchedulerLike }

async function evidencePlugin (fastify: FastifyInstance, opts: EvidencePluginOptions): Promise<void> {
  const { eventWriter: writer, reader } = fastify.questdb
  const scheduler = opts.scheduler ?? asyncScheduler
  const log = fastify.log.child({ component: 'evidence' })
  const ledger = createLedger({ reader, writer, scheduler, log })
  await ledger.start()
  const service = createEvidence({
    alarms: fastify.alarms,
    rules: () => fastify.engine.rules().rules as unknown as LoadedRule[],
    reader,
    ledger,
    clock: fastify.clock,
    scheduler,
    policy: fastify.config.evidence,
    log
  })
  await service.start()
  fastify.decorate('evidence', service)
  fastify.addHook('onClose', async () => {
    // the ledger's close ends a retrying append, which the service's close waits for
    const closing = service.close()
    await ledger.close()
    await closing
  })
}

/** evidence is the plugin that decorates fastify.evidence. */
export default fp(evidencePlugin, { name: 'evidence', dependencies: ['config', 'questdb', 'clock', 'alarms', 'engine'] })
