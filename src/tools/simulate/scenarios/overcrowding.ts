// overcrowding: for an hour a second crew goes down with the shift on duty, so the mine holds 15 more
// people than its approved headcount and one stope area 5 more than its limit (PP-1, mine and area).
import { AREA_LIMITS, cardOf } from '../fleet/index.js'
import { HOUR, type ScenarioDef, type Underground } from './types.js'

/** OVERCROWDING is the site, the crowded area, by how many each limit is passed, and for how long. */
export const OVERCROWDING = Object.freeze({ site: 'SG-XS', area: 'A5', overMine: 15, overArea: 5, durationMs: HOUR })

/** crowd adds the extra people to `clean` at ts for a mine approved for `approved`; enteredAt is `at`. */
export function crowd (clean: Underground[], approved: number, at: number): Underground[] {
  const limit = AREA_LIMITS[OVERCROWDING.area] ?? 0
  const extra = Math.max(0, approved + OVERCROWDING.overMine - clean.length)
  let inArea = Math.max(0, limit + OVERCROWDING.overArea - clean.filter((p) => p.area === OVERCROWDING.area).length)
  const added: Underground[] = []
  for (let i = 1; i <= extra; i++) {
    const area = inArea-- > 0 ? OVERCROWDING.area : (['A2', 'A4', 'A6', 'A7'][i % 4] as string)
    added.push({ card: cardOf('X', i), name: `外包工${i}`, role: 'worker', area, enteredAt: at })
  }
  return [...clean, ...added]
}

export const overcrowding: ScenarioDef = {
  name: 'overcrowding',
  summary: `${OVERCROWDING.site} holds approvedHeadcount + ${OVERCROWDING.overMine} people and area ${OVERCROWDING.area} its limit + ${OVERCROWDING.overArea}, for 1 h`,
  create ({ at, fleet }) {
    const site = fleet.sites.find((s) => s.code === OVERCROWDING.site)
    const approved = site?.input.approvedHeadcount
    if (approved === undefined) throw new Error(`${OVERCROWDING.site} has no approvedHeadcount`)
    return {
      name: 'overcrowding',
      people: (s, ts, clean) => s.code === OVERCROWDING.site && ts >= at && ts < at + OVERCROWDING.durationMs ? crowd(clean, approved, at) : undefined
    }
  }
}
