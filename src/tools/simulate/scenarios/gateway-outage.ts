// gateway-outage: the underground mine's data gateway loses its uplink for 15 min. It keeps collecting,
// sends nothing while cut off, then backfills everything it missed (断线续传); the server stores the
// readings with their own times and marks what it decides from them late (access standard section 6).
import { MIN, type ScenarioDef } from './types.js'

/** OUTAGE is the site cut off and for how long. */
export const OUTAGE = Object.freeze({ site: 'SG-XS', durationMs: 15 * MIN })

export const gatewayOutage: ScenarioDef = {
  name: 'gateway-outage',
  summary: `${OUTAGE.site}'s gateway sends nothing for 15 min, then backfills the missed readings`,
  create ({ at }) {
    return {
      name: 'gateway-outage',
      offline: (site, sim) => site.code === OUTAGE.site && sim >= at && sim < at + OUTAGE.durationMs
    }
  }
}
