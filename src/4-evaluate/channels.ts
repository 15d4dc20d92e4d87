// The engine's port to the video channel list: what the video rules read. Like the registry, it is a view
// type of the video component (1-ingest/video/types.ts), implemented by 1-ingest/video/memory.ts; the composition root (the
// engine plugin, the backtest) hands the concrete list in, and the engine never imports a video store.
import type { Channel, ChannelView } from '../1-ingest/video/types.js'

export type { ChannelView } from '../1-ingest/video/types.js'

/** fixedChannels is a view of a fixed list, for an engine whose channels never change (a rule test, none). */
export function fixedChannels (channels: readonly Channel[] = []): ChannelView {
  const bySite = new Map<string, Map<string, Channel>>()
  for (const c of channels) {
    let m = bySite.get(c.site)
    if (m === undefined) bySite.set(c.site, m = new Map())
    m.set(c.code, c)
  }
  return {
    channel: (site, code) => bySite.get(site)?.get(code),
    channelsOf: (site) => [...(bySite.get(site)?.values() ?? [])]
  }
}
