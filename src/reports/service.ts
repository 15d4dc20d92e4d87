// The KPI report as the route and the daily job ask for it: the registered sites among those asked, the range cut
// at the time of the report (nothing is counted ahead of now), the data read and the figures computed.
import type { Reader } from '../3-store/types.js'
import type { Clock } from '../lib/clock.js'
import type { RegistryView } from '../registry/types.js'
import { computeKpi } from './compute.js'
import { readKpiData } from './queries.js'
import type { Span } from './spans.js'
import type { KpiReport, SiteInfo } from './types.js'

/** KpiService computes reports over any range. */
export interface KpiService {
  /** report computes the figures of `sites` (unregistered codes are left out) over [from, to) as of now */
  report: (from: number, to: number, sites: readonly string[]) => Promise<KpiReport>
}

/** KpiServiceOptions are what a report reads: QuestDB, the registry's sites and the clock. */
export interface KpiServiceOptions { reader: Reader, registry: RegistryView, clock: Clock }

/** createKpiService binds the report to its sources. */
export function createKpiService (o: KpiServiceOptions): KpiService {
  return {
    async report (from, to, codes) {
      const now = o.clock.now()
      const range: Span = [from, Math.max(from, Math.min(to, now))]
      const sites = codes.flatMap((code): SiteInfo[] => {
        const s = o.registry.site(code)
        return s === undefined ? [] : [{ code: s.code, name: s.name, timeline: s.timeline }]
      })
      const data = await readKpiData(o.reader, range, sites.map((s) => s.code), now)
      return computeKpi({ ...data, sites }, { from, to })
    }
  }
}
