// The feed's inputs besides readings, for one site and a window of simulated time (from, to]: positioning
// snapshots every 30 s (section 4), video heartbeats every 60 s (section 5), and whatever a scenario adds —
// a status change (section 2), an SOS, AI events. Each is one request, as a site's gateway would send it;
// a status change goes before the window's readings (the server must know the site is suspended when the
// readings arrive), everything else after them.
import { peopleAt, PERSONNEL_INTERVAL_S, VIDEO_HEARTBEAT_S, type FleetSite } from './fleet/index.js'
import type { Scenario, ScenarioEvent } from './scenarios/types.js'
import { isoBeijing } from './time.js'

/** InputRequest is one request of the feed other than a readings batch. */
export interface InputRequest {
  phase: 'before' | 'after'
  path: string
  /** status changes are the administration's (admin token); the rest is the gateway's */
  token: 'admin' | 'gateway'
  body: unknown
  /** event time, epoch ms */
  ts: number
}

/** gridIn lists the multiples of stepMs in (from, to]. */
export function gridIn (from: number, to: number, stepMs: number): number[] {
  const out: number[] = []
  for (let t = (Math.floor(from / stepMs) + 1) * stepMs; t <= to; t += stepMs) out.push(t)
  return out
}

/** siteInputs lists the input requests of `site` with event times in (from, to], in time order within each kind. */
export function siteInputs (site: FleetSite, from: number, to: number, scenario: Scenario | undefined): InputRequest[] {
  const out: InputRequest[] = []
  const events = scenario?.events?.(site, from, to) ?? []
  for (const e of events) if (e.kind === 'status') out.push(statusRequest(site, e))
  if (site.positioning !== undefined) {
    for (const ts of gridIn(from, to, PERSONNEL_INTERVAL_S * 1000)) {
      const clean = peopleAt(site.code, site.positioning, ts)
      const people = scenario?.people?.(site, ts, clean) ?? clean
      out.push({
        phase: 'after',
        path: `/v1/sites/${site.code}/personnel`,
        token: 'gateway',
        ts,
        body: { ts: isoBeijing(ts), people: people.map((p) => ({ ...p, enteredAt: isoBeijing(p.enteredAt) })) }
      })
    }
  }
  for (const e of events) {
    if (e.kind === 'sos') {
      out.push({ phase: 'after', path: `/v1/sites/${site.code}/personnel/events`, token: 'gateway', ts: e.ts, body: { type: 'sos', card: e.card, ts: isoBeijing(e.ts), ...(e.area === undefined ? {} : { area: e.area }) } })
    }
  }
  const video = events.filter((e) => e.kind === 'video')
  if (video.length > 0) {
    out.push({
      phase: 'after',
      path: '/v1/video/events',
      token: 'gateway',
      ts: video[0]?.ts ?? to,
      body: { siteCode: site.code, events: video.map((e) => ({ channel: e.channel, ts: isoBeijing(e.ts), type: e.type, confidence: e.confidence, ...(e.count === undefined ? {} : { count: e.count }) })) }
    })
  }
  if (site.channels.length > 0) {
    for (const ts of gridIn(from, to, VIDEO_HEARTBEAT_S * 1000)) {
      out.push({
        phase: 'after',
        path: '/v1/video/heartbeats',
        token: 'gateway',
        ts,
        body: { siteCode: site.code, ts: isoBeijing(ts), channels: site.channels.map((c) => ({ channelCode: c.channelCode, online: true })) }
      })
    }
  }
  return out
}

function statusRequest (site: FleetSite, e: Extract<ScenarioEvent, { kind: 'status' }>): InputRequest {
  return { phase: 'before', path: `/v1/sites/${site.code}/status`, token: 'admin', ts: e.ts, body: { status: e.status, since: isoBeijing(e.ts), note: e.note } }
}
