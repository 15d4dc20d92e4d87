// The KPI report from its data (docs/kpi.md): the figures of each site, and of the whole fleet, where times and
// counts are summed over the sites before dividing (a site watched longer weighs more). Pure; rates and shares
// are fractions rounded to 6 decimals, times in seconds to the millisecond.
import { alarmLives, countBy, handling, peakWindow, WINDOW_MS, type AlarmLife } from './alarms.js'
import { linkFigures, online, ratio, type LinkFigures } from './coverage.js'
import { upSpans } from './outages.js'
import { measure, type Span } from './spans.js'
import type { Figures, KpiData, KpiReport } from './types.js'

/** OVERALL is the site code of the whole fleet's figures (not a valid site code). */
export const OVERALL = '*'

const round6 = (x: number | null): number | null => x === null ? null : Math.round(x * 1e6) / 1e6
const seconds = (ms: number): number => Math.round(ms) / 1000

interface Parts { link: LinkFigures, lives: AlarmLife[], raises: number[] }

function figures (siteCode: string, name: string, p: Parts, range: Span, now: number, system: Figures['system']): Figures {
  const { link } = p
  const faults = p.lives.filter((a) => a.category === 'fault')
  const rangeMs = range[1] - range[0]
  const hand = (h: ReturnType<typeof handling>): ReturnType<typeof handling> => ({
    ...h,
    ackWithin60mShare: round6(h.ackWithin60mShare),
    closedWithin24hShare: round6(h.closedWithin24hShare),
    falseAlarmShare: round6(h.falseAlarmShare)
  })
  return {
    siteCode,
    name,
    monitoredS: seconds(link.monitoredMs),
    link: { onlineRate: round6(online(link.linkOfflineMs, link.monitoredMs)), offlineS: seconds(link.linkOfflineMs), outages: link.outages },
    points: { count: link.points, onlineRate: round6(online(link.pointOfflineMs, link.pointMs)), offlineS: seconds(link.pointOfflineMs) },
    completeness: { rate: round6(ratio(link.stored, link.expected)), expected: link.expected, stored: link.stored },
    alarms: {
      count: p.lives.length,
      raises: p.raises.length,
      ...countBy(p.lives),
      ratePer10m: round6(ratio(p.raises.length, rangeMs / WINDOW_MS)),
      peak10m: peakWindow(p.raises)
    },
    handling: { all: hand(handling(p.lives, now)), fault: hand(handling(faults, now)) },
    system
  }
}

function sum (parts: readonly Parts[]): Parts {
  const link: LinkFigures = { monitoredMs: 0, linkOfflineMs: 0, outages: 0, points: 0, pointMs: 0, pointOfflineMs: 0, expected: 0, stored: 0 }
  for (const p of parts) for (const k of Object.keys(link) as Array<keyof LinkFigures>) link[k] += p.link[k]
  return { link, lives: parts.flatMap((p) => p.lives), raises: parts.flatMap((p) => p.raises) }
}

/** computeKpi computes the report of `data`; from/to are the range asked for (data.range ends at min(to, now)). */
export function computeKpi (data: KpiData, asked: { from: number, to: number }): KpiReport {
  const { range, now } = data
  const rangeMs = range[1] - range[0]
  const upMs = measure(upSpans(data.beats, range, now))
  const system = { availability: round6(ratio(upMs, rangeMs)), downS: seconds(Math.max(0, rangeMs - upMs)) }
  const lives = alarmLives(data.cohort, range[1])
  const sites = [...data.sites].sort((a, b) => a.code.localeCompare(b.code))
  const parts = sites.map((s): Parts => ({
    link: linkFigures(s, range, data.points, data.readings, data.linkRows),
    lives: lives.filter((a) => a.site === s.code),
    raises: data.raises.filter((r) => r.site === s.code).map((r) => r.ts)
  }))
  return {
    from: asked.from,
    to: asked.to,
    until: range[1],
    generatedAt: now,
    sites: sites.map((s, i) => figures(s.code, s.name, parts[i] as Parts, range, now, system)),
    overall: figures(OVERALL, '全部', sum(parts), range, now, system)
  }
}
