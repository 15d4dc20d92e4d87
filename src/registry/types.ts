// The registry as the rest of the server sees it: sites, their status timeline, and point definitions.
import type { Attributes, Limits, PointKind, Quantity, SiteKind, SiteStatus } from '../contract/index.js'

/** StatusChange is one entry of a site's status timeline: `status` holds from `since` (epoch ms) on. */
export interface StatusChange {
  since: number
  status: SiteStatus
  note?: string
}

/** Site is a registered mine, pond, dump or hazchem installation (section 2). */
export interface Site {
  code: string
  name: string
  kind: SiteKind
  regionCode?: string
  enterprise?: string
  /** status in force now (the last entry of the timeline). */
  status: SiteStatus
  approvedHeadcount?: number
  attributes: Attributes
  /** when this version of the site record was stored (epoch ms). */
  updatedAt: number
  /** status changes ordered by `since`, oldest first. */
  timeline: StatusChange[]
}

/** Point is a point definition (测点定义) of a site, as stored. */
export interface Point {
  site: string
  code: string
  quantity: Quantity
  unit: string
  kind: PointKind
  location?: string
  area?: string
  item?: string
  intervalS: number
  range?: [number, number]
  /**
   * the bounds beyond which a value is over-range (DQ-1): `range`, else the quantity's valid physical
   * range from the catalogue. Set once when the definition is stored or loaded (toPoint), so the hot path
   * reads a field instead of looking the quantity up per reading.
   */
  validRange?: readonly [number, number]
  /**
   * the quantity catalogue does not accept this point's unit or kind: it is stored and watched (no data,
   * device status) but rules judging values keep off it unless they name its unit in match.unit
   */
  offCatalogue?: true
  limits?: Limits
  attributes: Attributes
  /** when this definition was stored (epoch ms): the baseline for "never reported" offline checks. */
  definedAt: number
}

/** RegistryView is the read side of the registry used on the hot path (in memory, no I/O). */
export interface RegistryView {
  site: (code: string) => Site | undefined
  sites: () => Site[]
  point: (site: string, code: string) => Point | undefined
  pointsOf: (site: string) => Point[]
  /** statusAt is the site's status in force at event time `ts`, or undefined for an unknown site. */
  statusAt: (site: string, ts: number) => SiteStatus | undefined
  /** version grows on every registry change, so caches (compiled rules) know when to rebuild. */
  version: () => number
}
