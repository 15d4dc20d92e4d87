// The maintenance windows, kept in a JetStream key-value bucket (they survive restarts and every server of a
// cluster sees the same ones) and mirrored in memory by a watch, so a raise can look them up synchronously.
// Ended windows stay readable for the bucket's age; their history is in the audit trail for good.
import type { KV, NatsConnection } from 'nats'
import { openKvMirror } from '../../lib/kv-mirror.js'
import type { MaintenanceWindow } from './windows.js'

/** MAINTENANCE_BUCKET is the bucket's name. */
export const MAINTENANCE_BUCKET = 'minewatch_maintenance'

/** WINDOW_KEEP_MS: a window's entry expires 30 days after its last change. */
export const WINDOW_KEEP_MS = 30 * 86_400_000

/** WindowStore is the bucket with its in-memory mirror. */
export interface WindowStore {
  put: (w: MaintenanceWindow) => Promise<void>
  /** get reads the bucket, not the mirror: a route answers what is stored */
  get: (id: string) => Promise<MaintenanceWindow | undefined>
  /** all is the mirror (possibly a moment behind a put of another server) */
  all: () => Iterable<MaintenanceWindow>
  /** changes calls back on every window put (this server's or another's), after the mirror has it */
  onChange: (fn: (w: MaintenanceWindow) => void) => void
  close: () => Promise<void>
}

/** openWindowStore opens the bucket and waits until the mirror holds every stored window. */
export async function openWindowStore (nc: NatsConnection): Promise<WindowStore> {
  const kv: KV = await nc.jetstream().views.kv(MAINTENANCE_BUCKET, { history: 5, ttl: WINDOW_KEEP_MS })
  const mirror = await openKvMirror<MaintenanceWindow>(kv)
  return {
    put: async (w) => { await kv.put(w.id, JSON.stringify(w)) },
    async get (id) {
      const e = await kv.get(id)
      return e === null || e.operation !== 'PUT' || e.value.length === 0 ? undefined : e.json<MaintenanceWindow>()
    },
    all: () => mirror.values(),
    onChange: (fn) => { mirror.onChange((c) => { if (c.value !== undefined) fn(c.value) }) },
    close: async () => { mirror.close() }
  }
}
