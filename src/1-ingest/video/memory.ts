// The in-memory channel list: what video ingest consults on the hot path. Changes are applied here only
// after QuestDB acknowledged them, so memory never runs ahead of what a restart would load.
import type { Channel, ChannelView } from './types.js'

/** MemoryChannels holds the channels of every site. */
export class MemoryChannels implements ChannelView {
  private readonly bySite = new Map<string, Map<string, Channel>>()

  constructor (channels: Channel[] = []) {
    for (const c of channels) {
      let m = this.bySite.get(c.site)
      if (m === undefined) this.bySite.set(c.site, m = new Map())
      m.set(c.code, c)
    }
  }

  channel (site: string, code: string): Channel | undefined { return this.bySite.get(site)?.get(code) }
  channelsOf (site: string): Channel[] { return [...(this.bySite.get(site)?.values() ?? [])] }

  /** replaceChannels makes `channels` the complete list of `site`. */
  replaceChannels (site: string, channels: Channel[]): void {
    this.bySite.set(site, new Map(channels.map((c) => [c.code, c])))
  }
}
