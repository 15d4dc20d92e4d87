// Alarm handling for operators (access standard section 7). Handlers stay thin: the service decides, these
// check the caller's sites and render. Bodies $ref the contract schemas (schemas/alarm-actions.json), which
// the app registers with addSchema at boot.
import type { FastifyInstance } from 'fastify'
import type { Category, Dispatch, Level } from '../contract/index.js'
import type { Principal } from '../server/auth/tokens.js'
import { HANDLE, WATCH } from '../server/auth/roles.js'
import { canAccessSite, requireSite } from '../server/plugins/auth.js'
import { NotFound } from '../server/errors/catalogue.js'
import { TIME_PARAM, timeParam } from '../query/time-range.js'
import { toEpochMs, toIso } from '../lib/time.js'
import type { AlarmTransitionRecord, OperatorInput } from './types.js'
import type { AlarmFilters } from './book.js'
import { USERNAME_PATTERN } from '../users/kv.js'
import { responseSchemas, toActionView, toAlarmView, toDetailView } from './views.js'

const V1 = 'https://minewatch.example/schemas/v1/'
const WATCHERS = { roles: WATCH }
const HANDLERS = { roles: HANDLE }

interface ListQuery { state?: 'open' | 'all', site?: string, category?: Category, level?: Level, since?: string, limit?: number }
interface AlarmParams { alarmId: string }
/** ActionBody is a body of alarm-actions.json: the operator input without type and by, the deadline as RFC 3339 text. */
type ActionBody = Omit<OperatorInput, 'type' | 'by' | 'deadline'> & { by?: string, deadline?: Dispatch['deadline'] }

const ACTIONS = [
  { path: 'ack', schema: 'Ack', type: 'ack' },
  { path: 'dispatch', schema: 'Dispatch', type: 'dispatch' },
  { path: 'close', schema: 'Close', type: 'close' }
] as const

/** alarmRoutes registers GET /v1/alarms, GET /v1/alarms/:alarmId and POST /v1/alarms/:alarmId/(ack|dispatch|close). */
export default async function alarmRoutes (fastify: FastifyInstance): Promise<void> {
  const params = { type: 'object', required: ['alarmId'], properties: { alarmId: { type: 'string', minLength: 1, maxLength: 64 } } }

  fastify.get<{ Querystring: ListQuery }>('/v1/alarms', {
    config: WATCHERS,
    schema: { querystring: listQuerySchema, response: { 200: responseSchemas.list } }
  }, async (request) => {
    const alarms = await fastify.alarms.list(filtersFor(request.query, request.principal))
    return { alarms: alarms.map(toAlarmView) }
  })

  fastify.get<{ Params: AlarmParams }>('/v1/alarms/:alarmId', {
    config: WATCHERS,
    schema: { params, response: { 200: responseSchemas.detail } }
  }, async (request) => {
    const detail = await fastify.alarms.get(request.params.alarmId)
    inScope(request.principal, request.params.alarmId, detail.alarm.siteCode)
    return toDetailView(detail)
  })

  for (const action of ACTIONS) {
    fastify.post<{ Params: AlarmParams, Body: ActionBody }>(`/v1/alarms/:alarmId/${action.path}`, {
      config: HANDLERS,
      schema: { params, body: { $ref: `${V1}alarm-actions.json#/definitions/${action.schema}` }, response: { 200: responseSchemas.action } }
    }, async (request) => {
      const { alarmId } = request.params
      // Look before acting: another site's alarm is not found before anything about it changes.
      const alarm = await fastify.alarms.find(alarmId)
      if (alarm !== undefined) inScope(request.principal, alarmId, alarm.siteCode)
      const { deadline, ...body } = request.body
      const stated = body.by
      const by = await notImpersonating(fastify, request.principal, actingAs(request.principal, stated))
      // the schema checked the deadline's form; the transition checks it against the server clock (400 /deadline)
      const input = { ...body, by, type: action.type, ...(deadline === undefined ? {} : { deadline: toEpochMs(deadline) }) }
      const record = await fastify.alarms.act(alarmId, input as OperatorInput)
      await fastify.audit.record(fastify.audit.of(request, {
        action: action.type, outcome: 'ok', site: record.alarm.siteCode, target: alarmId, detail: auditDetail(record, stated)
      }))
      return toActionView(record)
    })
  }
}

const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: ['open', 'all'], default: 'open' },
    site: { $ref: `${V1}common.json#/definitions/Code` },
    category: { $ref: `${V1}common.json#/definitions/Category` },
    level: { $ref: `${V1}common.json#/definitions/Level` },
    since: TIME_PARAM,
    limit: { type: 'integer', minimum: 1, maximum: 10000 }
  }
}

// A logged-in person acts as themselves, whatever the body's `by` says; a token (a script, an upper platform
// relaying its operator) states who acted, and is named when it does not.
export function actingAs (p: Principal | null, stated: string | undefined): string {
  if (p?.username !== undefined) return p.username
  return stated ?? p?.name ?? ''
}

// A token may name the operator it relays, but not as one of minewatch's own people: that name is theirs alone
// (a logged-in person acts only as themselves). Such a name is kept, marked with the token that stated it.
const USERNAME = new RegExp(USERNAME_PATTERN)

async function notImpersonating (fastify: FastifyInstance, p: Principal | null, by: string): Promise<string> {
  // a name that cannot be a username (Chinese, spaces, upper case) is nobody's account
  if (p === null || p.username !== undefined || by === p.name || !USERNAME.test(by) || !fastify.hasDecorator('users')) return by
  return await fastify.users.get(by) === undefined ? by : `${by}@${p.name}`
}

export function auditDetail (r: AlarmTransitionRecord, stated: string | undefined): Record<string, unknown> {
  return {
    seq: r.seq,
    level: r.alarm.level,
    by: r.by,
    ...(r.note === undefined ? {} : { note: r.note }),
    ...(r.assignee === undefined ? {} : { assignee: r.assignee }),
    ...(r.transition === 'dispatched' && r.alarm.deadline !== null ? { deadline: toIso(r.alarm.deadline) } : {}),
    ...(r.disposition === undefined ? {} : { disposition: r.disposition }),
    ...(stated === undefined || stated === r.by ? {} : { statedBy: stated })
  }
}

// An alarm of a site the caller may not see answers exactly as one that does not exist (5-alarm/read.ts), so its
// id tells nothing: a 403 would confirm that the id is another site's alarm.
export function inScope (p: Principal | null, alarmId: string, site: string): void {
  if (p === null || !canAccessSite(p, site)) throw new NotFound(`alarm ${alarmId} not found`)
}

// A list is narrowed to the caller's sites; naming another site is refused. Without a principal (the auth
// plugin not registered) nothing is visible.
function filtersFor (q: ListQuery, p: Principal | null): AlarmFilters {
  if (q.site !== undefined) requireSite(p, q.site)
  const f: AlarmFilters = { state: q.state ?? 'open' }
  if (q.site !== undefined) f.site = q.site
  if (p === null) f.sites = new Set()
  else if (p.sites !== '*') f.sites = p.sites
  if (q.category !== undefined) f.category = q.category
  if (q.level !== undefined) f.level = q.level
  const since = timeParam(q.since, 'since')
  if (since !== undefined) f.since = since
  if (q.limit !== undefined) f.limit = q.limit
  return f
}
