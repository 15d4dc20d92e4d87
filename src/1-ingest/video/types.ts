// Video-assisted supervision (视频智能辅助监管, access standard section 5) as the rest of the server sees it:
// channels, and the heartbeat and event rows that ingest stores and hands on.
import type { VideoEvent } from '../../contract/index.js'

/** VideoEventType is one of the contract's AI recognition result types. */
export type VideoEventType = VideoEvent['type']

/** Channel is a video channel (视频通道) of a site, as stored. */
export interface Channel {
  site: string
  code: string
  name: string
  location?: string
  /** when this definition was stored (epoch ms): the baseline of "never sent a heartbeat". */
  definedAt: number
}

/** HeartbeatRow is one accepted channel state of a heartbeat, times in epoch ms. */
export interface HeartbeatRow {
  site: string
  channel: string
  online: boolean
  /** the heartbeat's own time */
  ts: number
  /** arrival time at the server */
  receivedAt: number
}

/** VideoEventRow is one accepted AI recognition result, times in epoch ms. */
export interface VideoEventRow {
  site: string
  channel: string
  type: VideoEventType
  /** event time (the event's own ts) */
  ts: number
  confidence?: number
  count?: number
  evidenceSha256?: string
  evidenceUrl?: string
  /** arrival time at the server */
  receivedAt: number
}

/** ChannelView is the read side of the channel list used on the hot path (in memory, no I/O). */
export interface ChannelView {
  channel: (site: string, code: string) => Channel | undefined
  channelsOf: (site: string) => Channel[]
}
