// The duty roster of a site (GET/PUT /v1/sites/:siteCode/roster) and the delivery record of an alarm's
// notifications (GET /v1/alarms/:alarmId/notifications). Writing a roster needs SUPERVISE (带班领导 or admin)
// and is audited (roster_put); robot secrets and the tokens in webhook URLs are never returned (redact.ts).
import type { FastifyInstance } from 'fastify'
import { SUPERVISE, WATCH } from '../server/auth/roles.js'
import { NotFound } from '../server/errors/catalogue.js'
import { knownSite, SITE_PARAMS } from '../registry/site-guard.js'
import { inScope } from '../5-alarm/routes.js'
import { toIso } from '../lib/time.js'
import { checkRoster, ROSTER_BODY } from './roster-schema.js'
import { listDeliveries } from './store.js'
import type { Roster } from './types.js'
import { keepSecrets, redact } from './redact.js'
import { ChannelUnavailable } from '../server/errors/catalogue.js'

interface SiteParams { siteCode: string }
type RosterBody = Omit<Roster, 'timezone' | 'updatedAt' | 'updatedBy'> & { timezone?: string }

/** notifyRoutes registers the roster and notification routes. */
export default async function notifyRoutes (fastify: FastifyInstance): Promise<void> {
  const { notify, audit } = fastify

  fastify.get<{ Params: SiteParams }>('/v1/sites/:siteCode/roster', { config: { roles: WATCH }, schema: { params: SITE_PARAMS } }, async (request) => {
    const site = knownSite(request.principal, fastify.registry.view, request.params.siteCode).code
    const roster = await notify.rosters.get(site)
    if (roster === undefined) throw new NotFound(`site ${site} has no duty roster`)
    return { siteCode: site, ...redact(roster) }
  })

  fastify.put<{ Params: SiteParams, Body: RosterBody }>('/v1/sites/:siteCode/roster', {
    config: { roles: SUPERVISE }, schema: { params: SITE_PARAMS, body: ROSTER_BODY }
  }, async (request) => {
    const site = knownSite(request.principal, fastify.registry.view, request.params.siteCode).code
    const roster: Roster = { timezone: request.body.timezone ?? fastify.config.notify.timezone, shifts: request.body.shifts }
    checkRoster(roster)
    keepSecrets(roster, await notify.rosters.get(site))
    refuseEmailWithoutSmtp(roster, notify.email)
    const by = request.principal?.username ?? request.principal?.name ?? ''
    const stored: Roster = { ...roster, updatedAt: toIso(fastify.clock.now()), updatedBy: by }
    await notify.rosters.put(site, stored)
    await audit.record(audit.of(request, {
      action: 'roster_put',
      outcome: 'ok',
      site,
      target: site,
      detail: { shifts: roster.shifts.length, contacts: roster.shifts.reduce((n, s) => n + s.contacts.length, 0), timezone: roster.timezone }
    }))
    return { siteCode: site, ...redact(stored) }
  })

  fastify.get<{ Params: { alarmId: string } }>('/v1/alarms/:alarmId/notifications', {
    config: { roles: WATCH },
    schema: { params: { type: 'object', required: ['alarmId'], properties: { alarmId: { type: 'string', minLength: 1, maxLength: 64 } } } }
  }, async (request) => {
    const { alarmId } = request.params
    const alarm = await fastify.alarms.find(alarmId)
    if (alarm === undefined) throw new NotFound(`alarm ${alarmId} not found`)
    inScope(request.principal, alarmId, alarm.siteCode)
    const rows = await listDeliveries(fastify.questdb.reader, alarmId)
    return { alarmId, notifications: rows.map((d) => ({ ...d, at: toIso(d.at) })) }
  })
}

// A roster that names e-mail while no SMTP server is configured would fail every time it is used: say so now.
function refuseEmailWithoutSmtp (r: Roster, email: boolean): void {
  if (email) return
  r.shifts.forEach((s, i) => s.contacts.forEach((c, j) => c.channels.forEach((ch, k) => {
    if (ch.kind === 'email') throw new ChannelUnavailable(`/shifts/${i}/contacts/${j}/channels/${k}: e-mail is not configured on this server (MINEWATCH_SMTP_URL)`)
  })))
}
