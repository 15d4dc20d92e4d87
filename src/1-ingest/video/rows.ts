// Row builders for the video tables (migrations/004): pure, so they are tested without QuestDB.
import type { Channels } from '../../contract/index.js'
import type { Row } from '../../3-store/types.js'
import type { HeartbeatRow, VideoEventRow } from './types.js'

/** ChannelInput is one channel of the PUT …/video/channels body. */
export type ChannelInput = Channels[number]

export const CHANNELS_TABLE = 'video_channels'
export const HEARTBEATS_TABLE = 'video_heartbeats'
export const EVENTS_TABLE = 'video_events'

/** channelRow is the `video_channels` row of one channel version, or of its removal (def null). */
export function channelRow (site: string, code: string, at: number, def: ChannelInput | null): Row {
  return {
    symbols: { site, channel: code },
    columns: { definition: def === null ? '' : JSON.stringify(def), deleted: def === null },
    ts: at
  }
}

/** heartbeatRow is the `video_heartbeats` row of one channel state. */
export function heartbeatRow (h: HeartbeatRow): Row {
  return {
    symbols: { site: h.site, channel: h.channel },
    columns: { online: h.online, received_at: h.receivedAt },
    timestamps: ['received_at'],
    ts: h.ts
  }
}

/** eventRow is the `video_events` row of one AI recognition result; absent fields stay null. */
export function eventRow (e: VideoEventRow): Row {
  return {
    symbols: { site: e.site, channel: e.channel, type: e.type },
    columns: {
      confidence: e.confidence,
      count: e.count,
      evidence_sha256: e.evidenceSha256,
      evidence_url: e.evidenceUrl,
      received_at: e.receivedAt
    },
    ints: ['count'],
    timestamps: ['received_at'],
    ts: e.ts
  }
}
