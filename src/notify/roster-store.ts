// Rosters in the NATS key-value bucket minewatch_rosters, one entry per site, with a short history so that a
// change can be traced (like the users bucket, src/users/kv.ts). A site code is a valid KV key as it is
// ([A-Za-z0-9_.-]).
import type { KV, NatsConnection } from 'nats'
import { readJson, writeJson } from '../users/kv.js'
import type { Roster } from './types.js'

/** ROSTER_BUCKET is the bucket's name. */
export const ROSTER_BUCKET = 'minewatch_rosters'

/** RosterStore reads and writes rosters; every read goes to the bucket, so a change applies to the next notification. */
export interface RosterStore {
  get: (site: string) => Promise<Roster | undefined>
  put: (site: string, roster: Roster) => Promise<void>
}

/** openRosterStore creates or opens the bucket (file storage, so rosters survive a NATS restart). */
export async function openRosterStore (nc: NatsConnection): Promise<RosterStore> {
  const kv: KV = await nc.jetstream().views.kv(ROSTER_BUCKET, { history: 10 })
  return {
    get: async (site) => await readJson<Roster>(kv, site),
    put: async (site, roster) => { await writeJson(kv, site, roster) }
  }
}
