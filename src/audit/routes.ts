// GET /v1/audit lists the trail with filters; POST /v1/console/mute is a console's sound mute, which exists
// only as an audited fact (the console keeps its own countdown), and DELETE /v1/console/mute its early end.
import type { FastifyInstance } from 'fastify'
import { HANDLE, WATCH } from '../server/auth/roles.js'
import { requireSite } from '../server/plugins/auth.js'
import { schemaId } from '../server/plugins/schemas.js'
import { TIME_PARAM, timeParam } from '../query/time-range.js'
import { toIso } from '../lib/time.js'
import { AUDIT_ACTIONS, type AuditAction, type AuditFilters, type AuditRecord } from './types.js'

interface AuditQuery { from?: string, to?: string, actor?: string, action?: AuditAction, site?: string, alarm?: string, target?: string, limit: number }

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }
const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: TIME_PARAM,
    to: TIME_PARAM,
    actor: { type: 'string', minLength: 1, maxLength: 100 },
    action: { type: 'string', enum: AUDIT_ACTIONS },
    site: code,
    alarm: { type: 'string', minLength: 1, maxLength: 64 },
    target: { type: 'string', minLength: 1, maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }
  }
}

const muteBody = {
  type: 'object',
  required: ['minutes'],
  additionalProperties: false,
  properties: {
    minutes: { type: 'integer', minimum: 1, maximum: 240 },
    reason: { type: 'string', maxLength: 500 },
    site: code
  }
}

/** auditRoutes registers the audit listing and the audited console mute. */
export default async function auditRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Querystring: AuditQuery }>('/v1/audit', { config: { roles: WATCH }, schema: { querystring: auditQuery } }, async (request) => {
    const q = request.query
    const p = request.principal
    if (q.site !== undefined) requireSite(p, q.site)
    const f: AuditFilters = { limit: q.limit }
    const from = timeParam(q.from, 'from')
    const to = timeParam(q.to, 'to')
    if (from !== undefined) f.from = from
    if (to !== undefined) f.to = to
    if (q.actor !== undefined) f.actor = q.actor
    if (q.action !== undefined) f.action = q.action
    if (q.site !== undefined) f.site = q.site
    const target = q.alarm ?? q.target
    if (target !== undefined) f.target = target
    if (p !== null && p.role !== 'admin') f.withSite = true
    if (p !== null && p.sites !== '*') f.sites = p.sites
    return { records: (await fastify.audit.list(f)).map(auditView) }
  })

  fastify.post<{ Body: { minutes: number, reason?: string, site?: string } }>('/v1/console/mute', {
    config: { roles: HANDLE }, schema: { body: muteBody }
  }, async (request) => {
    const { minutes, reason, site } = request.body
    if (site !== undefined) requireSite(request.principal, site)
    const until = fastify.clock.now() + minutes * 60_000
    await fastify.audit.record(fastify.audit.of(request, {
      action: 'mute', outcome: 'ok', ...(site === undefined ? {} : { site }), detail: { minutes, until: toIso(until), ...(reason === undefined ? {} : { reason }) }
    }))
    return { mutedUntil: toIso(until) }
  })

  fastify.delete<{ Querystring: { site?: string } }>('/v1/console/mute', {
    config: { roles: HANDLE }, schema: { querystring: { type: 'object', additionalProperties: false, properties: { site: code } } }
  }, async (request, reply) => {
    const { site } = request.query
    if (site !== undefined) requireSite(request.principal, site)
    await fastify.audit.record(fastify.audit.of(request, { action: 'unmute', outcome: 'ok', ...(site === undefined ? {} : { site }) }))
    return await reply.code(204).send()
  })
}

function auditView (r: AuditRecord): Record<string, unknown> {
  return {
    at: toIso(r.ts),
    action: r.action,
    outcome: r.outcome,
    actor: r.actor,
    actorKind: r.actorKind,
    ...(r.actorRole === null ? {} : { actorRole: r.actorRole }),
    ...(r.site === undefined ? {} : { site: r.site }),
    ...(r.target === undefined ? {} : { target: r.target }),
    ...(r.detail === undefined ? {} : { detail: r.detail })
  }
}
