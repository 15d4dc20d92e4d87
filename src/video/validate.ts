// Per-item validation of video heartbeats and AI event batches (section 5): schema (incl. the event type
// enum), the site's channel list and time bounds. One bad item rejects only itself, named by index, JSON
// path and a message a gateway engineer can act on.
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { ItemError } from '../errors/catalogue.js'
import { loadSchemas, schemaId } from '../plugins/schemas.js'
import { schemaRejection, timeProblem, type TimeBounds } from '../ingest/validate.js'
import { toEpochMs } from '../lib/time.js'
import type { ChannelView, HeartbeatRow, VideoEventRow, VideoEventType } from './types.js'

/** VideoValidators are the compiled item schemas of section 5. */
export interface VideoValidators { heartbeat: ValidateFunction, event: ValidateFunction }

/** compileVideoValidators compiles the contract's heartbeat channel item and VideoEvent schemas once. */
export function compileVideoValidators (): VideoValidators {
  const ajv = new Ajv({ allErrors: false, strict: false })
  addFormats.default(ajv)
  for (const schema of loadSchemas()) ajv.addSchema(schema)
  const id = schemaId('video.json')
  return {
    heartbeat: ajv.getSchema(`${id}#/definitions/Heartbeats/properties/channels/items`) as ValidateFunction,
    event: ajv.getSchema(`${id}#/definitions/VideoEvent`) as ValidateFunction
  }
}

/** Checked is the outcome of one batch: rows to store and the rejected items. */
export interface Checked<R> { rows: R[], rejected: ItemError[] }

// An enum failure says which values the contract accepts, so "unknown type" is actionable.
function rejection (index: number, base: string, validate: ValidateFunction): ItemError {
  const e = validate.errors?.[0]
  const r = schemaRejection(index, base, validate)
  if (e?.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
    return { ...r, message: `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}` }
  }
  return r
}

/** checkHeartbeats validates each channel state of a heartbeat (time `ts`, already bounds-checked) of `site`. */
export function checkHeartbeats (
  site: string, ts: number, items: readonly unknown[], validate: ValidateFunction, channels: ChannelView, now: number
): Checked<HeartbeatRow> {
  const rows: HeartbeatRow[] = []
  const rejected: ItemError[] = []
  items.forEach((item, index) => {
    const base = `/channels/${index}`
    if (!validate(item)) {
      rejected.push(rejection(index, base, validate))
      return
    }
    const c = item as { channelCode: string, online: boolean }
    if (channels.channel(site, c.channelCode) === undefined) {
      rejected.push({ index, path: `${base}/channelCode`, message: `channel "${c.channelCode}" is not defined for site "${site}"` })
      return
    }
    rows.push({ site, channel: c.channelCode, online: c.online, ts, receivedAt: now })
  })
  return { rows, rejected }
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
  const rows: VideoEventRow[] = []
  const rejected: ItemError[] = []
  items.forEach((item, index) => {
    const base = `/events/${index}`
    if (!validate(item)) {
      rejected.push(rejection(index, base, validate))
      return
    }
    const e = item as EventItem
    if (channels.channel(site, e.channel) === undefined) {
      rejected.push({ index, path: `${base}/channel`, message: `channel "${e.channel}" is not defined for site "${site}"` })
      return
    }
    const ts = toEpochMs(e.ts)
    const problem = Number.isNaN(ts) ? 'is not a valid timestamp' : timeProblem(ts, now, bounds)
    if (problem !== null) {
      rejected.push({ index, path: `${base}/ts`, message: problem })
      return
    }
    rows.push({
      site,
      channel: e.channel,
      type: e.type,
      ts,
      receivedAt: now,
      ...(e.confidence === undefined ? {} : { confidence: e.confidence }),
      ...(e.count === undefined ? {} : { count: e.count }),
      ...(e.evidence?.sha256 === undefined ? {} : { evidenceSha256: e.evidence.sha256 }),
      ...(e.evidence?.url === undefined ? {} : { evidenceUrl: e.evidence.url })
    })
  })
  return { rows, rejected }
}
