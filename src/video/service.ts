// Video changes and data: durable first (QuestDB acknowledged), then applied in memory and handed on.
// The seam for the rules that come later (AI-* violation rules, channel online/offline and online rate):
// `events$` emits every batch of accepted AI events and `heartbeats$` every accepted heartbeat, each only
// after QuestDB acknowledged the rows, so a subscriber never sees data a restart would not have.
import { Subject, type Observable } from 'rxjs'
import type { Clock } from '../lib/clock.js'
import { InvalidBody } from '../errors/catalogue.js'
import { withDetails } from '../plugins/errors.js'
import type { MemoryChannels } from './memory.js'
import type { ChannelInput } from './rows.js'
import { toChannel, type VideoStore } from './store.js'
import type { HeartbeatRow, VideoEventRow } from './types.js'
import { storedOnly, type Refusal } from '../store/refusal.js'

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

/** assertUniqueChannels throws 400 naming the first channelCode that appears twice in `defs`. */
export function assertUniqueChannels (defs: readonly ChannelInput[]): void {
  const seen = new Set<string>()
  defs.forEach((d, index) => {
    if (seen.has(d.channelCode)) {
      throw withDetails(new InvalidBody(`channel ${d.channelCode} is defined twice`),
        [{ index, path: `/${index}/channelCode`, message: `channel ${d.channelCode} is defined twice` }])
    }
    seen.add(d.channelCode)
  })
}

/** createVideoService binds memory, storage and the clock. */
export function createVideoService (view: MemoryChannels, store: VideoStore, clock: Clock): VideoService {
  const events = new Subject<readonly VideoEventRow[]>()
  const heartbeats = new Subject<readonly HeartbeatRow[]>()

  async function putChannels (site: string, defs: readonly ChannelInput[]): Promise<number> {
    assertUniqueChannels(defs)
    const now = clock.now()
    const codes = new Set(defs.map((d) => d.channelCode))
    const removed = view.channelsOf(site).filter((c) => !codes.has(c.code)).map((c) => c.code)
    await store.writeChannels(site, now, defs, removed)
    view.replaceChannels(site, defs.map((d) => toChannel(site, d, view.channel(site, d.channelCode)?.definedAt ?? now)))
    return defs.length
  }

  async function storeHeartbeats (rows: readonly HeartbeatRow[]): Promise<Refusal[]> {
    if (rows.length === 0) return []
    const refused = await store.writeHeartbeats(rows)
    const stored = storedOnly(rows, refused)
    if (stored.length > 0) heartbeats.next(stored)
    return refused
  }

  async function storeEvents (rows: readonly VideoEventRow[]): Promise<Refusal[]> {
    if (rows.length === 0) return []
    const refused = await store.writeEvents(rows)
    const stored = storedOnly(rows, refused)
    if (stored.length > 0) events.next(stored)
    return refused
  }

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
