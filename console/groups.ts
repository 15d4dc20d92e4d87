// Grouping on the board (issue 9, item 8), so a burst reads as one thing: a site whose link is down shows its
// link alarm with the connectivity alarms of its points under it (the gateway is the cause, the points the
// symptom), and a site in an alarm flood (EEMUA 191: more alarms in 10 min than one person can handle) shows
// each rule's alarms as one row, "设备离线 × 12", opened on demand. Pure: the board passes the sorted alarms.
import type { Alarm } from './types.js'
import { levelRank } from './types.js'

export const SITE_LINK_RULE = 'connectivity.site.no_data'

/** A row of the board: one alarm, or a group led by `head` (the link alarm, or the loudest of a rule's). */
export type BoardRow =
  | { kind: 'alarm', alarm: Alarm }
  | { kind: 'group', key: string, reason: 'link' | 'flood', head: Alarm, members: Alarm[] }

/** groupRows keeps the list's order; a group stands where its first alarm stood. `flooded` are site codes. */
export function groupRows (sorted: readonly Alarm[], flooded: ReadonlySet<string>): BoardRow[] {
  const links = new Map(sorted.filter((a) => a.ruleId === SITE_LINK_RULE).map((a) => [a.siteCode, a]))
  const groupOf = (a: Alarm): string | undefined => {
    const link = links.get(a.siteCode)
    if (link !== undefined && a.ruleId.startsWith('connectivity.')) return `link|${a.siteCode}`
    if (flooded.has(a.siteCode)) return `flood|${a.siteCode}|${a.ruleId}`
    return undefined
  }
  const members = new Map<string, Alarm[]>()
  for (const a of sorted) {
    const key = groupOf(a)
    if (key !== undefined) members.set(key, [...(members.get(key) ?? []), a])
  }
  const rows: BoardRow[] = []
  const placed = new Set<string>()
  for (const a of sorted) {
    const key = groupOf(a)
    const list = key === undefined ? undefined : members.get(key)
    if (key === undefined || list === undefined || (list.length < 2 && key.startsWith('flood|'))) {
      rows.push({ kind: 'alarm', alarm: a })
      continue
    }
    if (placed.has(key)) continue
    placed.add(key)
    const reason = key.startsWith('link|') ? 'link' : 'flood'
    const head = reason === 'link' ? links.get(a.siteCode) as Alarm : loudest(list)
    rows.push({ kind: 'group', key, reason, head, members: list.filter((m) => m !== head) })
  }
  return rows
}

function loudest (list: readonly Alarm[]): Alarm {
  return [...list].sort((x, y) => levelRank(x.level) - levelRank(y.level))[0] as Alarm
}
