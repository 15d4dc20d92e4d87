// The registry capability: sites and point definitions loaded from QuestDB into memory at start.
import fp from 'fastify-plugin'
import { walApplied } from '../3-store/wal.js'
import { MemoryRegistry } from './memory.js'
import { createRegistryService, type RegistryService } from './service.js'
import { createRegistryStore, loadRegistry, REGISTRY_TABLES } from './store.js'

declare module 'fastify' {
  interface FastifyInstance { registry: RegistryService }
}

/** registryPlugin exposes `fastify.registry`. */
export default fp(async (fastify) => {
  if (!await walApplied(fastify.questdb.reader, REGISTRY_TABLES)) fastify.log.warn('QuestDB has not applied all registry rows yet; loading what is visible')
  const { sites, points } = await loadRegistry(fastify.questdb.reader)
  const view = new MemoryRegistry(sites, points)
  fastify.log.info({ sites: sites.length, points: points.length }, 'registry loaded')
  fastify.decorate('registry', createRegistryService(view, createRegistryStore(fastify.questdb.eventWriter), fastify.clock))
}, { name: 'registry', dependencies: ['questdb', 'clock'] })
