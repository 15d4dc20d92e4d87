// sos: a worker underground presses the SOS button of the positioning card (PP-5). The card is the first
// worker underground when the scenario starts (the shift's leader if alone; a day-shift card if nobody is).
import { cardOf, peopleAt } from '../fleet/index.js'
import type { ScenarioDef } from './types.js'

/** SOS_SITE is the site of the SOS. */
export const SOS_SITE = 'SG-XS'

export const sos: ScenarioDef = {
  name: 'sos',
  summary: `a worker underground at ${SOS_SITE} sends an SOS`,
  create ({ at, fleet }) {
    const site = fleet.sites.find((s) => s.code === SOS_SITE)
    if (site?.positioning === undefined) throw new Error(`${SOS_SITE} has no positioning system`)
    const down = peopleAt(SOS_SITE, site.positioning, at)
    const who = down.find((p) => p.role === 'worker') ?? down[0]
    const card = who?.card ?? cardOf('A', 1)
    const area = who?.area ?? site.positioning.leaderArea
    return {
      name: 'sos',
      events: (s, from, to) => s.code === SOS_SITE && at > from && at <= to ? [{ kind: 'sos', ts: at, card, area }] : []
    }
  }
}
