// Per-item validation of video heartbeats and AI event batches (section 5): schema (incl. the event type
// enum), the site's channel list and time bounds. One bad item rejects only itself, named by index, JSON
// path and a message a gateway engineer can act on.
import type { ValidateFunction } from 'ajv'
import { schemaId } from '../../server/plugins/schemas.js'
import { checkItems, itemValidator, Rejection, type Checked } from '../../2-validate/items.js'
import { eventTime, type TimeBounds } from '../../2-validate/event-time.js'
import type { ChannelView, HeartbeatRow, VideoEventRow, VideoEventType } from './types.js'

/** VideoValidators are the compiled item schemas of section 5. */
export interface VideoValidators { channel: ValidateFunction, heartbeat: ValidateFunction, event: ValidateFunction }

/** compileVideoValidators is the contract's channel, heartbeat channel item and VideoEvent schemas, for one item at a time. */
export function compileVideoValidators (): VideoValidators {
  const id = schemaId('video.json')
  return {
    channel: itemValidator(`${id}#/definitions/Channels/items`),
    heartbeat: itemValidator(`${id}#/definitions/Heartbeats/properties/channels/items`),
    event: itemValidator(`${id}#/definitions/VideoEvent`)
  }
}

/** checkHeartbeats validates each channel state of a heartbeat (time `ts`, already bounds-checked) of `site`. */
export function checkHeartbeats (
  site: string, ts: number, items: readonly unknown[], validate: ValidateFunction, channels: ChannelView, now: number
): Checked<HeartbeatRow> {
  return checkItems<{ channelCode: string, online: boolean }, HeartbeatRow>(items, validate, '/channels', (c) => {
    if (channels.channel(site, c.channelCode) === undefined) {
      return new Rejection('/channelCode', `channel "${c.channelCode}" is not defined for site "${site}"`)
    }
    return { site, channel: c.channelCode, online: c.online, ts, receivedAt: now }
  })
}

interface EventItem {
  channel: string
  ts: number | string
  type: VideoEventType
  confidence?: number
  count?: number
  evidence?: { sha256?: string, url?: string }
}

/** checkEvents validates each AI recognition result of a batch of `site` against schema, channels and time bounds. */
export function checkEvents (
  site: string, items: readonly unknown[], validate: ValidateFunction, channels: ChannelView, bounds: TimeBounds, now: number
): Checked<VideoEventRow> {
  return checkItems<EventItem, VideoEventRow>(items, validate, '/events', (e) => {
    if (channels.channel(site, e.channel) === undefined) {
      return new Rejection('/channel', `channel "${e.channel}" is not defined for site "${site}"`)
    }
    const ts = eventTime(e.ts, now, bounds)
    if (typeof ts !== 'number') return new Rejection('/ts', ts.problem)
    return {
      site,
      channel: e.channel,
      type: e.type,
      ts,
      receivedAt: now,
      ...(e.confidence === undefined ? {} : { confidence: e.confidence }),
      ...(e.count === undefined ? {} : { count: e.count }),
      ...(e.evidence?.sha256 === undefined ? {} : { evidenceSha256: e.evidence.sha256 }),
      ...(e.evidence?.url === undefined ? {} : { evidenceUrl: e.evidence.url })
    }
  })
}
