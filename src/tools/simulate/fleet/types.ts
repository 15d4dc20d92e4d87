// The shapes of the simulated fleet: sites and points as PUT to the registry, with their clean signals.
import type { PointDefinition, SiteInput } from '../../../contract/index.js'
import type { SignalPoint } from '../signals.js'
import type { Positioning } from './personnel.js'
import type { Channel } from './video.js'

/** FleetPoint is a point definition as PUT to the registry, with the clean signal that drives it. */
export interface FleetPoint extends SignalPoint {
  site: string
  def: PointDefinition
}

/** FleetSite is a site as PUT to the registry, its points, video channels and (underground) positioning. */
export interface FleetSite {
  code: string
  input: SiteInput
  points: FleetPoint[]
  channels: Channel[]
  positioning?: Positioning
}

/** Fleet is every simulated site. */
export interface Fleet { sites: FleetSite[] }
