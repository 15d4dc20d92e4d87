// Shelving (issue 9, item 6): POST /v1/alarms/:alarmId/shelve with a reason and a duration (at most
// MINEWATCH_SHELVE_MAX); it ends by itself (5-alarm/deadlines.ts). A red alarm is shelved only when a second
// person, a logged-in supervisor, approves the request (POST …/shelve/approve); until then the request waits in
// GET /v1/shelve-requests. POST …/unshelve takes a shelf down early. Every step is audited; nothing is shelved
// silently: the alarm keeps its shelf (who, why, until when) in the list, the feed and on NATS.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HANDLE, SUPERVISE, WATCH } from '../server/auth/roles.js'
import { canAccessSite } from '../server/plugins/auth.js'
import { Conflict, Forbidden, InvalidBody, NotFound } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { toIso } from '../lib/time.js'
import type { AuditEntry } from '../audit/types.js'
import { actingAs, auditDetail, inScope } from './routes.js'
import type { ShelveRequest } from './shelve-requests.js'
import type { Alarm, AlarmTransitionRecord } from './types.js'
import { toActionView, responseSchemas } from './views.js'

interface Params { alarmId: string }
const params = { type: 'object', required: ['alarmId'], properties: { alarmId: { type: 'string', minLength: 1, maxLength: 64 } } }
const shelveBody = {
  type: 'object',
  required: ['reason', 'minutes'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500 }, minutes: { type: 'integer', minimum: 1 } }
}
const noteBody = { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } }

/** shelveRoutes registers shelve, approve, unshelve and the list of waiting requests. */
export default async function shelveRoutes (fastify: FastifyInstance): Promise<void> {
  const requests = fastify.shelveRequests
  const maxMinutes = Math.floor(fastify.config.deadlines.shelveMaxMs / 60_000)

  const alarmFor = async (request: FastifyRequest<{ Params: Params }>): Promise<Alarm> => {
    const alarm = await fastify.alarms.find(request.params.alarmId)
    if (alarm === undefined) throw new NotFound(`alarm ${request.params.alarmId} not found`)
    inScope(request.principal, alarm.alarmId, alarm.siteCode)
    return alarm
  }
  const audited = async (request: FastifyRequest, entry: Omit<AuditEntry, 'actor' | 'actorKind' | 'actorRole' | 'ip'>): Promise<void> => {
    await fastify.audit.record(fastify.audit.of(request, entry))
  }
  const shelve = async (request: FastifyRequest, alarm: Alarm, r: Omit<ShelveRequest, 'requestedAt' | 'siteCode' | 'alarmId'>, approvedBy?: string): Promise<AlarmTransitionRecord> => {
    const until = fastify.clock.now() + r.minutes * 60_000
    const record = await fastify.alarms.act(alarm.alarmId, { type: 'shelve', by: r.by, reason: r.reason, until, ...(approvedBy === undefined ? {} : { approvedBy }) })
    await audited(request, { action: 'shelve', outcome: 'ok', site: alarm.siteCode, target: alarm.alarmId, detail: { ...auditDetail(record, undefined), reason: r.reason, until: toIso(until), ...(approvedBy === undefined ? {} : { approvedBy }) } })
    return record
  }

  fastify.post<{ Params: Params, Body: { reason: string, minutes: number } }>('/v1/alarms/:alarmId/shelve', {
    config: { roles: HANDLE }, schema: { params, body: shelveBody }
  }, async (request, reply) => {
    const { reason, minutes } = request.body
    if (minutes > maxMinutes) throw withDetails(new InvalidBody(`body/minutes must be at most ${maxMinutes} (MINEWATCH_SHELVE_MAX)`), [{ path: '/minutes', message: `must be at most ${maxMinutes}` }])
    const alarm = await alarmFor(request)
    const by = actingAs(request.principal, undefined)
    if (alarm.level !== 'red') return toActionView(await shelve(request, alarm, { by, reason, minutes }))
    if (alarm.state === 'closed') throw new Conflict(`alarm ${alarm.alarmId} is closed: cannot shelve it`)
    if (alarm.shelf !== null) throw new Conflict(`alarm ${alarm.alarmId} is already shelved`)
    const pending: ShelveRequest = { alarmId: alarm.alarmId, siteCode: alarm.siteCode, by, reason, minutes, requestedAt: fastify.clock.now() }
    await requests.put(pending)
    await audited(request, { action: 'shelve', outcome: 'requested', site: alarm.siteCode, target: alarm.alarmId, detail: { level: alarm.level, reason, minutes } })
    return await reply.code(202).send({ request: requestView(pending) })
  })

  fastify.post<{ Params: Params, Body: { note?: string } }>('/v1/alarms/:alarmId/shelve/approve', {
    config: { roles: SUPERVISE }, schema: { params, body: noteBody }
  }, async (request) => {
    const alarm = await alarmFor(request)
    const approver = request.principal?.username
    if (approver === undefined) throw new Forbidden('an approval is a person\'s: log in as a supervisor')
    const pending = await requests.get(alarm.alarmId)
    if (pending === undefined) throw new NotFound(`no shelve request waits for alarm ${alarm.alarmId}`)
    if (pending.by === approver) throw new Conflict('shelving a red alarm needs two people: the approver must not be the one who asked')
    const record = await shelve(request, alarm, pending, approver)
    await requests.remove(alarm.alarmId)
    return toActionView(record)
  })

  fastify.post<{ Params: Params, Body: { note?: string } }>('/v1/alarms/:alarmId/unshelve', {
    config: { roles: HANDLE }, schema: { params, body: noteBody, response: { 200: responseSchemas.action } }
  }, async (request) => {
    const alarm = await alarmFor(request)
    const note = request.body?.note
    const record = await fastify.alarms.act(alarm.alarmId, { type: 'unshelve', by: actingAs(request.principal, undefined), ...(note === undefined ? {} : { note }) })
    await audited(request, { action: 'unshelve', outcome: 'ok', site: alarm.siteCode, target: alarm.alarmId, detail: auditDetail(record, undefined) })
    return toActionView(record)
  })

  fastify.get('/v1/shelve-requests', { config: { roles: WATCH } }, async (request) => {
    const p = request.principal
    const visible = (await requests.list()).filter((r) => p !== null && canAccessSite(p, r.siteCode))
    return { requests: visible.map(requestView) }
  })
}

function requestView (r: ShelveRequest): Record<string, unknown> {
  return { alarmId: r.alarmId, siteCode: r.siteCode, by: r.by, reason: r.reason, minutes: r.minutes, requestedAt: toIso(r.requestedAt) }
}
