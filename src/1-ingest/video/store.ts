// Video persistence: channel versions, heartbeats and events appended as rows; the latest channel
// version per (site, channel) is the current list, loaded into memory at start.
import type { Reader, Refusal, Writer } from '../../3-store/types.js'
import type { Channel, HeartbeatRow, VideoEventRow } from './types.js'
import { channelRow, CHANNELS_TABLE, eventRow, EVENTS_TABLE, heartbeatRow, HEARTBEATS_TABLE, type ChannelInput } from './rows.js'

interface ChannelRecord { site: string, channel: string, definition: string, deleted: boolean, ts: number }

/** loadChannels reads the live channel definitions of every site. */
export async function loadChannels (reader: Reader): Promise<Channel[]> {
  const records = await reader.query<ChannelRecord>(`SELECT * FROM ${CHANNELS_TABLE} LATEST ON ts PARTITION BY site, channel`)
  return records.filter((r) => !r.deleted).map((r) => toChannel(r.site, JSON.parse(r.definition) as ChannelInput, r.ts))
}

/** toChannel turns a contract channel definition into the stored Channel. */
export function toChannel (site: string, d: ChannelInput, definedAt: number): Channel {
  return { site, code: d.channelCode, name: d.name, definedAt, ...(d.location === undefined ? {} : { location: d.location }) }
}

/** toChannelInput turns a Channel back into the contract shape GET returns. */
export function toChannelInput (c: Channel): ChannelInput {
  return { channelCode: c.code, name: c.name, ...(c.location === undefined ? {} : { location: c.location }) }
}

/** VideoStore writes video rows durably: each promise resolves once QuestDB acknowledged them. */
export interface VideoStore {
  writeChannels: (site: string, at: number, defs: readonly ChannelInput[], removed: readonly string[]) => Promise<void>
  /** each row stands alone: resolves with the rows storage refused, the others are stored */
  writeHeartbeats: (rows: readonly HeartbeatRow[]) => Promise<Refusal[]>
  writeEvents: (rows: readonly VideoEventRow[]) => Promise<Refusal[]>
}

/** createVideoStore binds the row builders to writers: channel changes go with the registry's low-latency writer, data with the batching one. */
export function createVideoStore (registryWriter: Writer, dataWriter: Writer): VideoStore {
  return {
    writeChannels: async (site, at, defs, removed) => {
      await registryWriter.writeRows(CHANNELS_TABLE, [
        ...defs.map((d) => channelRow(site, d.channelCode, at, d)),
        ...removed.map((code) => channelRow(site, code, at, null))
      ])
    },
    writeHeartbeats: async (rows) => await dataWriter.writeRows(HEARTBEATS_TABLE, rows.map(heartbeatRow), 'each'),
    writeEvents: async (rows) => await dataWriter.writeRows(EVENTS_TABLE, rows.map(eventRow), 'each')
  }
}
