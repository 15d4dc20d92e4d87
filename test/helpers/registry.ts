// A small in-memory RegistryView for engine tests: sites and points set by hand, a version that grows
// on every change, and a status timeline read as the real registry would.
import type { PointKind, Quantity, SiteKind, SiteStatus } from '../../src/contract/index.js'
import type { Point, RegistryView, Site } from '../../src/registry/types.js'

/** TestRegistry is a RegistryView a test can change. */
export interface TestRegistry extends RegistryView {
  putSite: (site: Site) => void
  putPoint: (point: Point) => void
  removePoint: (site: string, code: string) => void
}

/** testRegistry builds a registry holding the given sites and points. */
export function testRegistry (sites: Site[] = [], points: Point[] = []): TestRegistry {
  const siteMap = new Map<string, Site>()
  const pointMap = new Map<string, Map<string, Point>>()
  let version = 0
  const reg: TestRegistry = {
    site: (code) => siteMap.get(code),
    sites: () => [...siteMap.values()],
    point: (site, code) => pointMap.get(site)?.get(code),
    pointsOf: (site) => [...(pointMap.get(site)?.values() ?? [])],
    statusAt: (code, ts) => {
      const s = siteMap.get(code)
      if (s === undefined) return undefined
      let status: SiteStatus = s.timeline[0]?.status ?? s.status
      for (const c of s.timeline) if (c.since <= ts) status = c.status
      return status
    },
    version: () => version,
    putSite: (s) => { siteMap.set(s.code, s); version++ },
    putPoint: (p) => {
      let m = pointMap.get(p.site)
      if (m === undefined) pointMap.set(p.site, m = new Map())
      m.set(p.code, p)
      version++
    },
    removePoint: (site, code) => { pointMap.get(site)?.delete(code); version++ }
  }
  for (const s of sites) reg.putSite(s)
  for (const p of points) reg.putPoint(p)
  return reg
}

/** site makes a producing site of the given kind. */
export function site (code: string, kind: SiteKind = 'underground', extra: Partial<Site> = {}): Site {
  return { code, name: `矿山${code}`, kind, status: 'producing', attributes: {}, updatedAt: 0, timeline: [], ...extra }
}

/** point makes an analog point defined at time 0, reporting every 20 s. */
export function point (siteCode: string, code: string, quantity: Quantity, extra: Partial<Point> = {}): Point {
  return {
    site: siteCode,
    code,
    quantity,
    unit: UNITS[quantity] ?? '',
    kind: 'analog' as PointKind,
    intervalS: 20,
    attributes: {},
    definedAt: 0,
    ...extra
  }
}

const UNITS: Partial<Record<Quantity, string>> = { co: 'ppm', ch4: '%', o2: '%', h2s: 'ppm', no2: 'ppm', so2: 'ppm', nh3: 'ppm' }
