// Requests to shelve a red alarm, waiting for a supervisor's approval (the second person). Kept in a JetStream
// key-value bucket, so a request survives a restart and every server of a cluster sees it; a request nobody
// approved expires with the bucket's TTL. A mirror tells the live feed of every request made and settled, on
// whichever server, so a supervisor's console shows a request the moment it is made.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { KV, NatsConnection } from 'nats'
import { openKvMirror, type MirrorChange } from '../lib/kv-mirror.js'

/** ShelveRequest is who asked to shelve which red alarm, why and for how long. */
export interface ShelveRequest {
  alarmId: string
  siteCode: string
  by: string
  reason: string
  minutes: number
  /** epoch ms */
  requestedAt: number
}

/** ShelveRequests is the bucket's interface. */
export interface ShelveRequests {
  put: (r: ShelveRequest) => Promise<void>
  get: (alarmId: string) => Promise<ShelveRequest | undefined>
  remove: (alarmId: string) => Promise<void>
  list: () => Promise<ShelveRequest[]>
  /** onChange hears each request made or settled (approved, withdrawn); the returned function stops it */
  onChange: (fn: (c: MirrorChange<ShelveRequest>) => void) => () => void
  close: () => void
}

/** SHELVE_REQUEST_TTL_MS: an approval must come within an hour, or the operator asks again. */
export const SHELVE_REQUEST_TTL_MS = 3_600_000

/** openShelveRequests creates or opens the bucket. Alarm ids are valid KV keys ([A-Za-z0-9_-]). */
export async function openShelveRequests (nc: NatsConnection, now: () => number): Promise<ShelveRequests> {
  const kv: KV = await nc.jetstream().views.kv('minewatch_shelve_requests', { history: 1, ttl: SHELVE_REQUEST_TTL_MS })
  // the mirror only tells changes; an expired request sends nothing, so it is dropped by its age
  const mirror = await openKvMirror<ShelveRequest>(kv, (r) => r.requestedAt + SHELVE_REQUEST_TTL_MS < now())
  const get = async (alarmId: string): Promise<ShelveRequest | undefined> => {
    const e = await kv.get(alarmId)
    return e === null || e.operation !== 'PUT' || e.value.length === 0 ? undefined : e.json<ShelveRequest>()
  }
  return {
    onChange: mirror.onChange,
    close: mirror.close,
    put: async (r) => { await kv.put(r.alarmId, JSON.stringify(r)) },
    get,
    remove: async (alarmId) => { await kv.delete(alarmId) },
    async list () {
      const out: ShelveRequest[] = []
      for await (const k of await kv.keys()) {
        const r = await get(k)
        if (r !== undefined) out.push(r)
      }
      return out.sort((a, b) => a.requestedAt - b.requestedAt)
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** shelveRequests are the red shelves waiting for a supervisor */
    shelveRequests: ShelveRequests
  }
}

async function shelveRequestsPlugin (fastify: FastifyInstance): Promise<void> {
  const requests = await openShelveRequests(fastify.nats.connection, () => fastify.clock.now())
  fastify.decorate('shelveRequests', requests)
  fastify.addHook('onClose', async () => { requests.close() })
}

/** shelveRequestsPlugin decorates fastify.shelveRequests. */
export default fp(shelveRequestsPlugin, { name: 'shelve-requests', dependencies: ['nats', 'clock'] })
