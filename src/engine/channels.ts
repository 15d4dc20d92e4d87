// The engine's port to the video channel list: what the video rules read, declared here by the engine and
// implemented elsewhere (video/memory.ts MemoryChannels, structurally). The composition root (the engine
// plugin, the backtest) hands the concrete list in; the engine never imports a video store.
import type { Channel } from '../video/types.js'

/** ChannelView is the read side of the channel list the rules see (in memory, no I/O). */
export interface ChannelView {
  channel: (site: string, code: string) => Channel | undefined
  channelsOf: (site: string) => Channel[]
}

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
