// The maintenance windows' bucket, opened before the alarms so the alarm service can hold a raise inside a
// window from its first decision (5-alarm/plugin.ts wires the cover and the sweep when this plugin is there).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openWindowStore, type WindowStore } from './store.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** maintenanceWindows is the bucket of maintenance windows with its in-memory mirror */
    maintenanceWindows: WindowStore
  }
}

async function maintenancePlugin (fastify: FastifyInstance): Promise<void> {
  const windows = await openWindowStore(fastify.nats.connection)
  fastify.decorate('maintenanceWindows', windows)
  fastify.addHook('onClose', async () => { await windows.close() })
}

/** maintenance is the plugin that decorates fastify.maintenanceWindows. */
export default fp(maintenancePlugin, { name: 'maintenance', dependencies: ['nats'] })
