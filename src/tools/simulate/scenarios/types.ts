// What a scenario is: a named, scripted incident laid over the clean fleet. Every hook is a pure function
// of simulated time (and the clean value it replaces), so a scenario replays identically at any speed and
// tests can check its values without a server.
import type { SiteStatus } from '../../../contract/index.js'
import type { Fleet, FleetPoint, FleetSite } from '../fleet/index.js'
import type { Stay } from '../fleet/personnel.js'

/** ScenarioSample is one reading about to be sent, as the clean feed made it. */
export interface ScenarioSample {
  site: FleetSite
  point: FleetPoint
  /** event time, epoch ms */
  ts: number
  value: number
  status: number
}

/**
 * ScenarioResult: undefined keeps the clean reading, null drops it (the point is silent), an object
 * replaces its value and, if given, its status bits.
 */
export type ScenarioResult = { value: number, status?: number } | null | undefined

/** Underground is one person in a positioning snapshot (enteredAt in epoch ms). */
export type Underground = Stay['person']

/** VideoEventType is an AI recognition type of access standard section 5. */
export type VideoEventType = 'no_helmet' | 'intrusion' | 'smoke_fire' | 'belt_deviation' | 'off_post' | 'person_count' |
'camera_tamper' | 'belt_running' | 'vehicle_departure' | 'overcrowding'

/** ScenarioEvent is an input a scenario adds at event time ts: a site status change, an SOS, an AI event. */
export type ScenarioEvent =
  | { kind: 'status', ts: number, status: SiteStatus, note: string }
  | { kind: 'sos', ts: number, card: string, area?: string }
  | { kind: 'video', ts: number, channel: string, type: VideoEventType, confidence: number, count?: number }

/** Scenario is the seam for scripted incidents; every hook is optional. */
export interface Scenario {
  readonly name: string
  /** the value of a reading (gas rise, fan stop, slope creep …) */
  override?: (sample: ScenarioSample) => ScenarioResult
  /** who is underground at ts, given the clean list; undefined keeps it */
  people?: (site: FleetSite, ts: number, clean: Underground[]) => Underground[] | undefined
  /** the inputs of `site` with from < ts <= to, in time order */
  events?: (site: FleetSite, from: number, to: number) => ScenarioEvent[]
  /** true while the site's gateway is cut off at simulated time `sim`: it sends nothing and keeps everything */
  offline?: (site: FleetSite, sim: number) => boolean
}

/** ScenarioContext is what a scenario is built from: when it starts (epoch ms) and the fleet it acts on. */
export interface ScenarioContext { at: number, fleet: Fleet, seed: number }

/** ScenarioDef is one entry of the registry: a name, a line for --help, and the factory. */
export interface ScenarioDef {
  name: string
  summary: string
  create: (ctx: ScenarioContext) => Scenario
}

/** MIN and HOUR in ms, for scenario timelines. */
export const MIN = 60_000
export const HOUR = 60 * MIN

/** findPoint is the fleet point `site`/`point`; throws if the fleet no longer has it. */
export function findPoint (fleet: Fleet, site: string, point: string): FleetPoint {
  const p = fleet.sites.find((s) => s.code === site)?.points.find((x) => x.def.pointCode === point)
  if (p === undefined) throw new Error(`scenario point ${site}/${point} is not in the fleet`)
  return p
}

/** is tells whether a sample is of `site`/`point`. */
export function is (s: ScenarioSample, site: string, point: string): boolean {
  return s.site.code === site && s.point.def.pointCode === point
}

/** everyIn lists the times first + k·step (k ≥ 0) with from < t <= to and t < end. */
export function everyIn (first: number, step: number, end: number, from: number, to: number): number[] {
  const out: number[] = []
  const k0 = Math.max(0, Math.floor((from - first) / step) + 1)
  for (let t = first + k0 * step; t <= to && t < end; t += step) if (t > from) out.push(t)
  return out
}
