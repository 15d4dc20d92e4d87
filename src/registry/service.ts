// Registry changes: durable first (QuestDB acknowledged), then applied in memory.
import type { PointDefinition, SiteInput, SiteStatusInput } from '../contract/index.js'
import type { Clock } from '../lib/clock.js'
import { toEpochMs } from '../lib/time.js'
import { InvalidBody, UnknownSite, type ItemError } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { uniqueKeys } from '../2-validate/items.js'
import { pointCatalogueIssues } from './catalogue.js'
import type { MemoryRegistry } from './memory.js'
import { pointRow, toPoint, type RegistryStore } from './store.js'
import type { Site, StatusChange } from './types.js'

/** RegistryService is what the registry routes call. */
export interface RegistryService {
  view: MemoryRegistry
  putSite: (code: string, input: SiteInput) => Promise<Site>
  addStatus: (code: string, input: SiteStatusInput) => Promise<Site>
  /** putPoints stores the complete point list; `warnings` name the items the quantity catalogue does not accept */
  putPoints: (code: string, defs: PointDefinition[]) => Promise<{ count: number, warnings: ItemError[] }>
}

// A status takes effect at `since` (default now); a format-valid time outside 1970…9999 is refused, as QuestDB
// would refuse the row.
function sinceOf (since: number | string | undefined, now: number): number {
  if (since === undefined) return now
  const ms = toEpochMs(since)
  if (Number.isNaN(ms)) throw withDetails(new InvalidBody('since is not a valid timestamp'), [{ path: '/since', message: 'is not a valid timestamp' }])
  return ms
}

/** createRegistryService binds memory, storage and the clock. */
export function createRegistryService (view: MemoryRegistry, store: RegistryStore, clock: Clock): RegistryService {
  async function putSite (code: string, input: SiteInput): Promise<Site> {
    const now = clock.now()
    const previous = view.site(code)
    const since = sinceOf(input.since, now)
    const site: Site = {
      code,
      name: input.name,
      kind: input.kind,
      status: input.status,
      attributes: input.attributes ?? {},
      updatedAt: now,
      timeline: previous?.timeline ?? [],
      ...(input.regionCode === undefined ? {} : { regionCode: input.regionCode }),
      ...(input.enterprise === undefined ? {} : { enterprise: input.enterprise }),
      ...(input.approvedHeadcount === undefined ? {} : { approvedHeadcount: input.approvedHeadcount })
    }
    await store.writeSite(site)
    view.putSite(site)
    // A PUT that changes the status is a status event like POST .../status.
    if (previous?.status !== input.status || previous.timeline.length === 0) {
      await recordStatus(code, { since, status: input.status })
    }
    return view.site(code) as Site
  }

  async function addStatus (code: string, input: SiteStatusInput): Promise<Site> {
    if (view.site(code) === undefined) throw new UnknownSite(code)
    const since = sinceOf(input.since, clock.now())
    await recordStatus(code, { since, status: input.status, ...(input.note === undefined ? {} : { note: input.note }) })
    return view.site(code) as Site
  }

  async function recordStatus (code: string, change: StatusChange): Promise<void> {
    await store.writeStatus(code, change, clock.now())
    view.addStatus(code, change)
  }

  async function putPoints (code: string, defs: PointDefinition[]): Promise<{ count: number, warnings: ItemError[] }> {
    if (view.site(code) === undefined) throw new UnknownSite(code)
    const seen = uniqueKeys(defs, 'pointCode', 'point')
    // the contract accepts any unit: a unit or kind the catalogue does not know is stored, and said back, so
    // the gateway learns that the default rules will not judge the point's values
    const warnings = defs.flatMap((d, index) => pointCatalogueIssues(d, index))
    const now = clock.now()
    const removed = view.pointsOf(code).filter((p) => !seen.has(p.code))
    const rows = [
      ...defs.map((d) => pointRow(code, d.pointCode, now, d)),
      ...removed.map((p) => pointRow(code, p.code, now, null))
    ]
    await store.writePoints(rows)
    view.replacePoints(code, defs.map((d) => toPoint(code, d, view.point(code, d.pointCode)?.definedAt ?? now)))
    return { count: defs.length, warnings }
  }

  return { view, putSite, addStatus, putPoints }
}
