// What the engine consumes besides readings: the personnel and video streams of access standard sections 4
// and 5, as ingest stored them. Cross-source rules (people underground while the fan is stopped, belt running
// during suspension) need them on the same event-time line as the readings.
import type { StoredEvent, StoredSnapshot } from '../1-ingest/personnel/types.js'
import type { HeartbeatRow, VideoEventRow } from '../1-ingest/video/types.js'

/** PersonnelInput is one stored positioning snapshot: everyone underground at a site at `snapshot.ts`. */
export interface PersonnelInput { type: 'personnel', snapshot: StoredSnapshot, receivedAt: number }
/** SosInput is one stored SOS event from a card. */
export interface SosInput { type: 'sos', event: StoredEvent }
/** VideoEventInput is one stored AI recognition result. */
export interface VideoEventInput { type: 'video_event', event: VideoEventRow }
/** HeartbeatInput is one channel state of a stored video heartbeat. */
export interface HeartbeatInput { type: 'video_heartbeat', heartbeat: HeartbeatRow }

/** EngineInput is any non-reading input of the engine. */
export type EngineInput = PersonnelInput | SosInput | VideoEventInput | HeartbeatInput

/** inputSite is the site an input belongs to. */
export function inputSite (i: EngineInput): string {
  switch (i.type) {
    case 'personnel': return i.snapshot.site
    case 'sos': return i.event.site
    case 'video_event': return i.event.site
    case 'video_heartbeat': return i.heartbeat.site
  }
}

/** inputTs is the event time of an input (epoch ms). */
export function inputTs (i: EngineInput): number {
  switch (i.type) {
    case 'personnel': return i.snapshot.ts
    case 'sos': return i.event.ts
    case 'video_event': return i.event.ts
    case 'video_heartbeat': return i.heartbeat.ts
  }
}

/** inputReceivedAt is when the input arrived at the server (epoch ms), for latency. */
export function inputReceivedAt (i: EngineInput): number {
  switch (i.type) {
    case 'personnel': return i.receivedAt
    case 'sos': return i.event.receivedAt
    case 'video_event': return i.event.receivedAt
    case 'video_heartbeat': return i.heartbeat.receivedAt
  }
}
