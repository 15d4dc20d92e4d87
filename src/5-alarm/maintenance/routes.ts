// Maintenance windows over HTTP (issue 9, item 6): a supervisor opens one for a site or some of its points
// (POST /v1/sites/:siteCode/maintenance), anyone who watches the site lists them (GET /v1/maintenance), and one
// can be ended early (DELETE /v1/maintenance/:id). Opening and ending are audited; what a window holds stays on
// the board as shelved, with the window's id and reason.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { SUPERVISE, WATCH } from '../../server/auth/roles.js'
import { canAccessSite } from '../../server/plugins/auth.js'
import { Conflict, Forbidden, InvalidBody, NotFound } from '../../server/errors/catalogue.js'
import { withDetails } from '../../server/plugins/errors.js'
import { knownSite, SITE_PARAMS } from '../../registry/site-guard.js'
import { toIso } from '../../lib/time.js'
import { actingAs } from '../routes.js'
import { stateOf, type MaintenanceWindow, type WindowState } from './windows.js'
import { windowBody, windowResponse, type WindowInput } from './schemas.js'

/** LEAD_MAX_MS: a window may be planned at most 30 days ahead. */
const LEAD_MAX_MS = 30 * 86_400_000
/** PAST_SLACK_MS: a start a little in the past (a clock apart, a slow form) is taken as now. */
const PAST_SLACK_MS = 5 * 60_000

const WINDOW_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } }

/** maintenanceRoutes registers the routes. */
export default async function maintenanceRoutes (fastify: FastifyInstance): Promise<void> {
  const windows = fastify.maintenanceWindows
  const sweep = fastify.maintenanceSweep
  const maxMs = fastify.config.deadlines.maintenanceMaxMs
  const view = (w: MaintenanceWindow): Record<string, unknown> => windowView(w, stateOf(w, fastify.clock.now()))

  fastify.post<{ Params: { siteCode: string }, Body: WindowInput }>('/v1/sites/:siteCode/maintenance', {
    config: { roles: SUPERVISE }, schema: { params: SITE_PARAMS, body: windowBody, response: { 201: windowResponse } }
  }, async (request, reply) => {
    const { siteCode } = request.params
    knownSite(request.principal, fastify.registry.view, siteCode)
    const b = request.body
    const points = [...new Set(b.points ?? [])]
    const unknown = points.findIndex((p) => fastify.registry.view.point(siteCode, p) === undefined)
    if (unknown >= 0) throw invalid(`/points/${unknown}`, `point "${points[unknown] ?? ''}" is not registered on site ${siteCode}`)
    const now = fastify.clock.now()
    const from = b.from === undefined ? now : Math.max(now, Date.parse(b.from))
    const until = Date.parse(b.until)
    if (b.from !== undefined && Date.parse(b.from) < now - PAST_SLACK_MS) throw invalid('/from', 'must not be in the past')
    if (from > now + LEAD_MAX_MS) throw invalid('/from', 'must be within 30 days from now')
    if (until <= from) throw invalid('/until', 'must be after from (or now)')
    if (until - from > maxMs) throw invalid('/until', `a window lasts at most ${Math.round(maxMs / 60_000)} min (MINEWATCH_MAINTENANCE_MAX)`)
    const w: MaintenanceWindow = {
      id: `M${now.toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`,
      siteCode,
      points,
      from,
      until,
      reason: b.reason,
      by: actingAs(request.principal, undefined),
      includeRed: b.includeRed ?? false,
      createdAt: now
    }
    await windows.put(w)
    await fastify.audit.record(fastify.audit.of(request, { action: 'maintenance', outcome: 'ok', site: siteCode, target: w.id, detail: windowView(w, stateOf(w, now)) }))
    await sweep.settle()
    return await reply.code(201).send(view(w))
  })

  fastify.get<{ Querystring: { site?: string, state?: WindowState | 'all' } }>('/v1/maintenance', {
    config: { roles: WATCH },
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { site: { type: 'string', maxLength: 64 }, state: { type: 'string', enum: ['planned', 'active', 'ended', 'all'] } }
      }
    }
  }, async (request) => {
    const { site, state = 'all' } = request.query
    const now = fastify.clock.now()
    const p = request.principal
    const list = [...windows.all()]
      .filter((w) => p !== null && canAccessSite(p, w.siteCode) && (site === undefined || w.siteCode === site))
      .filter((w) => state === 'all' || stateOf(w, now) === state)
      .sort((a, b) => a.from - b.from || a.id.localeCompare(b.id))
    return { windows: list.map(view) }
  })

  // The second person for red: a logged-in supervisor other than the one who opened the window.
  fastify.post<{ Params: { id: string } }>('/v1/maintenance/:id/approve', {
    config: { roles: SUPERVISE },
    schema: { params: WINDOW_PARAMS, response: { 200: windowResponse } }
  }, async (request) => {
    const w = await windows.get(request.params.id)
    const p = request.principal
    if (w === undefined || p === null || !canAccessSite(p, w.siteCode)) throw new NotFound(`maintenance window ${request.params.id} not found`)
    if (p.username === undefined) throw new Forbidden('holding red alarms is approved by a person (a logged-in supervisor), not a token')
    if (!w.includeRed) throw new Conflict(`maintenance window ${w.id} does not ask to hold red alarms`)
    if (w.redApprovedBy !== undefined) throw new Conflict(`maintenance window ${w.id} was approved by ${w.redApprovedBy}`)
    if (w.by === p.username) throw new Conflict('the supervisor who opened the window cannot also approve it: red needs two people')
    if (stateOf(w, fastify.clock.now()) === 'ended') throw new Conflict(`maintenance window ${w.id} has already ended`)
    const approved: MaintenanceWindow = { ...w, redApprovedBy: p.username }
    await windows.put(approved)
    await fastify.audit.record(fastify.audit.of(request, { action: 'maintenance_approve', outcome: 'ok', site: w.siteCode, target: w.id }))
    await sweep.settle()
    return view(approved)
  })

  fastify.delete<{ Params: { id: string } }>('/v1/maintenance/:id', {
    config: { roles: SUPERVISE },
    schema: { params: WINDOW_PARAMS, response: { 200: windowResponse } }
  }, async (request) => {
    const w = await windows.get(request.params.id)
    if (w === undefined || request.principal === null || !canAccessSite(request.principal, w.siteCode)) throw new NotFound(`maintenance window ${request.params.id} not found`)
    const now = fastify.clock.now()
    if (stateOf(w, now) === 'ended') throw new Conflict(`maintenance window ${w.id} has already ended`)
    const ended: MaintenanceWindow = { ...w, endedAt: now, endedBy: actingAs(request.principal, undefined) }
    await windows.put(ended)
    await fastify.audit.record(fastify.audit.of(request, { action: 'maintenance_end', outcome: 'ok', site: w.siteCode, target: w.id, detail: { endedAt: toIso(now) } }))
    await sweep.settle()
    return view(ended)
  })
}

function invalid (path: string, message: string): Error {
  return withDetails(new InvalidBody(`body${path} ${message}`), [{ path, message }])
}

/** windowView is a window as the API shows it: RFC 3339 times and its state now. */
export function windowView (w: MaintenanceWindow, state: WindowState): Record<string, unknown> {
  return {
    id: w.id,
    siteCode: w.siteCode,
    points: w.points,
    from: toIso(w.from),
    until: toIso(w.until),
    reason: w.reason,
    by: w.by,
    includeRed: w.includeRed,
    ...(w.includeRed ? { redApprovedBy: w.redApprovedBy ?? null } : {}),
    state,
    createdAt: toIso(w.createdAt),
    ...(w.endedAt === undefined ? {} : { endedAt: toIso(w.endedAt), endedBy: w.endedBy })
  }
}
