// The video rule kinds (access standard section 5, AI-1..AI-3) and the JSON Schema of each one's fields.
import type { VideoEventType } from '../../../1-ingest/video/types.js'
import type { KindSchema } from '../../module.js'
import { DURATION, LEVEL, SITE_KINDS, SITE_STATUSES } from '../shared/schema.js'

/** VIDEO_KINDS names each kind after what it judges. */
export const VIDEO_KINDS = Object.freeze({
  offline: 'video_channel_offline',
  rate: 'video_online_rate',
  event: 'video_event',
  suspension: 'video_suspension_activity',
  tamper: 'video_camera_tamper'
})

/** EVENT_TYPES are the AI recognition types of section 5 (schemas/video.json), Chinese names for messages. */
export const EVENT_TYPES: Readonly<Record<VideoEventType, string>> = Object.freeze({
  no_helmet: '未戴安全帽',
  intrusion: '人员闯入危险区域',
  smoke_fire: '烟火',
  belt_deviation: '皮带跑偏',
  off_post: '离岗/睡岗',
  person_count: '人员计数',
  camera_tamper: '摄像机遮挡/移位/信号异常',
  belt_running: '皮带运行',
  vehicle_departure: '车辆驶离',
  overcrowding: '人员聚集/超员'
})

const level = LEVEL
const duration = DURATION
const eventType = { enum: Object.keys(EVENT_TYPES) }
const confidence = { type: 'number', minimum: 0, maximum: 1 }
const hazardSiteKind = SITE_KINDS
// rule ids whose open site-wide condition (e.g. connectivity.site.no_data) holds this rule's silence back
const suppressWhile = { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9_.-]+$', maxLength: 128 } }

/** VIDEO_SCHEMAS are the kinds' own fields. */
export const VIDEO_SCHEMAS: Record<string, KindSchema> = {
  [VIDEO_KINDS.offline]: { properties: { level, silentFor: duration, suppressWhile } },
  [VIDEO_KINDS.rate]: { properties: { level, silentFor: duration, suppressWhile, minPercent: { type: 'number', exclusiveMinimum: 0, maximum: 100 } } },
  [VIDEO_KINDS.event]: {
    required: ['eventType'],
    properties: { level, eventType, minConfidence: confidence, for: duration, clearAfter: duration, hazardSiteKind }
  },
  [VIDEO_KINDS.suspension]: {
    properties: {
      level,
      eventTypes: { type: 'array', minItems: 1, items: eventType },
      statuses: SITE_STATUSES,
      minConfidence: confidence,
      clearAfter: duration,
      hazardSiteKind
    }
  },
  [VIDEO_KINDS.tamper]: {
    properties: {
      level,
      minConfidence: confidence,
      clearAfter: duration,
      repeat: {
        type: 'object',
        additionalProperties: false,
        required: ['count', 'within', 'level'],
        properties: { count: { type: 'integer', minimum: 2 }, within: duration, level }
      },
      hazardSiteKind
    }
  }
}
