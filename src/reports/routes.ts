// GET /v1/reports/kpi (docs/kpi.md): the KPI figures of the 绩效自评表 forms over [from, to), per site and for the
// whole, as JSON or CSV (?format=csv or Accept: text/csv). A caller limited to some sites sees only those: named
// with ?site, another site is 403 (and an unknown one 404) like every site route; without it, the whole is theirs.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { toIso } from '../lib/time.js'
import { timeParam } from '../query/time-range.js'
import { knownSite } from '../registry/site-guard.js'
import { WATCH } from '../server/auth/roles.js'
import { InvalidQuery } from '../server/errors/catalogue.js'
import { canAccessSite } from '../server/plugins/auth.js'
import { withDetails } from '../server/plugins/errors.js'
import { kpiCsv } from './csv.js'
import { KPI_QUERY, KPI_REPORT, type KpiQuery } from './schema.js'
import type { KpiReport } from './types.js'

/** MAX_RANGE_DAYS bounds a report: a year, leap day included. */
export const MAX_RANGE_DAYS = 366

function invalid (name: string, message: string): Error {
  return withDetails(new InvalidQuery(`query ${name} ${message}`), [{ path: `/querystring/${name}`, message }])
}

function wantsCsv (request: FastifyRequest<{ Querystring: KpiQuery }>): boolean {
  if (request.query.format !== undefined) return request.query.format === 'csv'
  return /\btext\/csv\b/i.test(request.headers.accept ?? '')
}

function asJson (r: KpiReport): Record<string, unknown> {
  return { ...r, from: toIso(r.from), to: toIso(r.to), until: toIso(r.until), generatedAt: toIso(r.generatedAt) }
}

/** reportRoutes registers GET /v1/reports/kpi. */
export default async function reportRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Querystring: KpiQuery }>('/v1/reports/kpi', {
    config: { roles: WATCH },
    schema: {
      summary: 'KPI figures of the self-evaluation forms (绩效自评表), per site and for the whole',
      querystring: KPI_QUERY,
      response: { 200: KPI_REPORT }
    }
  }, async (request, reply) => {
    const q = request.query
    const from = timeParam(q.from, 'from') as number
    const to = timeParam(q.to, 'to') as number
    if (to <= from) throw invalid('to', 'must be after from')
    if (to - from > MAX_RANGE_DAYS * 86_400_000) throw invalid('to', `must be at most ${MAX_RANGE_DAYS} days after from`)
    const view = fastify.registry.view
    const principal = request.principal
    const sites = q.site !== undefined
      ? [knownSite(principal, view, q.site).code]
      : view.sites().map((s) => s.code).filter((code) => principal !== null && canAccessSite(principal, code))
    const report = await fastify.kpi.report(from, to, sites)
    if (!wantsCsv(request)) return asJson(report)
    const name = `kpi-${q.site ?? 'all'}-${toIso(from).slice(0, 10)}.csv`
    return await reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(kpiCsv(report))
  })
}
