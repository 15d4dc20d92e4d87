// Video changes and data: durable first (QuestDB acknowledged), then applied in memory and handed on.
// The seam for the rules that come later (AI-* violation rules, channel online/offline and online rate):
// `events$` emits every batch of accepted AI events and `heartbeats$` every accepted heartbeat, each only
// after QuestDB acknowledged the rows, so a subscriber never sees data a restart would not have.
import { Subject, type Observable } from 'rxjs'
import type { Clock } from '../../lib/clock.js'
import { uniqueKeys } from '../../2-validate/items.js'
import type { MemoryChannels } from './memory.js'
import type { ChannelInput } from './rows.js'
import { toChannel, type VideoStore } from './store.js'
import type { HeartbeatRow, VideoEventRow } from './types.js'
import { storedOnly, type Refusal } from '../../3-store/refusal.js'

/** VideoService is what the video routes call and what later rules subscribe to. */
export interface VideoService {
  view: MemoryChannels
  /** putChannels replaces the channel list of `site` and returns how many channels it now has. */
  putChannels: (site: string, defs: readonly ChannelInput[]) => Promise<number>
  /** storeHeartbeats stores accepted channel states, then emits those stored on heartbeats$; resolves with the refused. */
  storeHeartbeats: (rows: readonly HeartbeatRow[]) => Promise<Refusal[]>
  /** storeEvents stores accepted AI events, then emits those stored on events$; resolves with the refused. */
  storeEvents: (rows: readonly VideoEventRow[]) => Promise<Refusal[]>
  /** events$ emits each non-empty batch of durably stored AI events (for the AI-* rules). */
  events$: Observable<readonly VideoEventRow[]>
  /** heartbeats$ emits each non-empty batch of durably stored channel states (for online/offline and online rate). */
  heartbeats$: Observable<readonly HeartbeatRow[]>
  /** close completes both streams. */
  close: () => void
}

/** createVideoService binds memory, storage and the clock. */
export function createVideoService (view: MemoryChannels, store: VideoStore, clock: Clock): VideoService {
  const events = new Subject<readonly VideoEventRow[]>()
  const heartbeats = new Subject<readonly HeartbeatRow[]>()

  async function putChannels (site: string, defs: readonly ChannelInput[]): Promise<number> {
    const codes = uniqueKeys(defs, 'channelCode', 'channel')
    const now = clock.now()
    const removed = view.channelsOf(site).filter((c) => !codes.has(c.code)).map((c) => c.code)
    await store.writeChannels(site, now, defs, removed)
    view.replaceChannels(site, defs.map((d) => toChannel(site, d, view.channel(site, d.channelCode)?.definedAt ?? now)))
    return defs.length
  }

  // Durable first: only the rows QuestDB acknowledged are emitted, as one batch.
  const storeThenEmit = <R>(write: (rows: readonly R[]) => Promise<Refusal[]>, out: Subject<readonly R[]>) =>
    async (rows: readonly R[]): Promise<Refusal[]> => {
      if (rows.length === 0) return []
      const refused = await write(rows)
      const stored = storedOnly(rows, refused)
      if (stored.length > 0) out.next(stored)
      return refused
    }
  const storeHeartbeats = storeThenEmit((rows: readonly HeartbeatRow[]) => store.writeHeartbeats(rows), heartbeats)
  const storeEvents = storeThenEmit((rows: readonly VideoEventRow[]) => store.writeEvents(rows), events)

  return {
    view,
    putChannels,
    storeHeartbeats,
    storeEvents,
    events$: events.asObservable(),
    heartbeats$: heartbeats.asObservable(),
    close: () => { events.complete(); heartbeats.complete() }
  }
}
