// The personnel capability: stores snapshots and events, keeps the latest snapshot of each site in memory
// and hands every stored snapshot and event to whoever subscribes (the seam for the PP-1..PP-8 rules).
import fp from 'fastify-plugin'
import { Subject } from 'rxjs'
import personnelRoutes from './routes.js'
import { readLatestSnapshot, writeEvent, writeSnapshot } from './store.js'
import type { StoredEvent, StoredSnapshot } from './types.js'

/** PersonnelService is `fastify.personnel`. */
export interface PersonnelService {
  /** record stores a snapshot (resolves once acknowledged), then remembers it and emits it on `snapshots` */
  record: (s: StoredSnapshot) => Promise<void>
  /** event stores an event (resolves once acknowledged), then emits it on `events` */
  event: (e: StoredEvent) => Promise<void>
  /** latest is the newest snapshot of a site: from memory, else from QuestDB (after a restart) */
  latest: (site: string) => Promise<StoredSnapshot | undefined>
  /** every stored snapshot, after QuestDB acknowledged it; a resend is emitted again */
  snapshots: Subject<StoredSnapshot>
  /** every stored event (SOS), after QuestDB acknowledged it */
  events: Subject<StoredEvent>
}

declare module 'fastify' {
  interface FastifyInstance { personnel: PersonnelService }
}

/** personnelPlugin exposes `fastify.personnel` and registers the personnel routes. */
export default fp(async (fastify) => {
  const latest = new Map<string, StoredSnapshot>()
  const snapshots = new Subject<StoredSnapshot>()
  const events = new Subject<StoredEvent>()
  // A late snapshot (older than the one kept) is stored but does not replace the newer one in memory.
  const remember = (s: StoredSnapshot): void => {
    const kept = latest.get(s.site)
    if (kept === undefined || kept.ts <= s.ts) latest.set(s.site, s)
  }
  const service: PersonnelService = {
    snapshots,
    events,
    async record (s) {
      // Snapshots are few but can be large: the batching writer, like readings.
      await writeSnapshot(fastify.questdb.writer, s)
      remember(s)
      snapshots.next(s)
    },
    async event (e) {
      // An SOS is latency-sensitive: a commit of its own.
      await writeEvent(fastify.questdb.eventWriter, e)
      events.next(e)
    },
    async latest (site) {
      const kept = latest.get(site)
      if (kept !== undefined) return kept
      const stored = await readLatestSnapshot(fastify.questdb.reader, site)
      if (stored !== undefined) remember(stored)
      return latest.get(site)
    }
  }
  fastify.decorate('personnel', service)
  fastify.addHook('onClose', async () => {
    snapshots.complete()
    events.complete()
  })
  await fastify.register(personnelRoutes)
}, { name: 'personnel', dependencies: ['questdb', 'registry', 'clock', 'auth'] })
