// Personnel positioning (access standard section 4): snapshots and events from gateways, answered 200 only after
// QuestDB acknowledged them; the latest snapshot of a site for operators.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { PersonnelEvent, Snapshot } from '../../contract/index.js'
import { NotFound } from '../../server/errors/catalogue.js'
import { knownSite } from '../../registry/site-guard.js'
import { schemaId } from '../../server/plugins/schemas.js'
import { toIso } from '../../lib/time.js'
import { refusedAs } from '../../3-store/refusal.js'
import { checkEvent, checkSnapshot } from './rows.js'
import type { StoredPerson } from './types.js'
import { WATCH, WRITE_DATA } from '../../server/auth/roles.js'

const personnel = (name: string): { $ref: string } => ({ $ref: `${schemaId('personnel.json')}#/definitions/${name}` })

const params = {
  type: 'object',
  properties: { siteCode: { $ref: `${schemaId('common.json')}#/definitions/Code` } }
}

// personnel.json#/definitions/Snapshot without its people's schema: they are counted, then checked one by one
// (checkSnapshot), so a long list of bad people costs linear time and gets a bounded answer.
const snapshotEnvelope = {
  type: 'object',
  required: ['ts', 'people'],
  additionalProperties: false,
  properties: { ts: { $ref: `${schemaId('common.json')}#/definitions/Timestamp` }, people: { type: 'array' } }
}

// Where a column storage refused is in a person (of the snapshot's people, or the event itself).
const PERSON_FIELDS = { card: '/card', name: '/name', role: '/role', area: '/area', entered_at: '/enteredAt' }
const PEOPLE = { base: '/people', fields: PERSON_FIELDS }
const PERSON = { base: '', fields: PERSON_FIELDS }

const snapshotView = {
  type: 'object',
  properties: {
    ts: { type: 'string' },
    headcount: { type: 'integer' },
    people: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          card: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          area: { type: 'string' },
          enteredAt: { type: 'string' }
        }
      }
    }
  }
}

type SiteParams = { Params: { siteCode: string } }

/** personnelRoutes registers the personnel endpoints. */
export default async function personnelRoutes (fastify: FastifyInstance): Promise<void> {
  const { ingest } = fastify.config

  // A personnel route names its site in the path, yet an unknown one is said to be at /siteCode.
  const site = (request: FastifyRequest<SiteParams>): string => {
    knownSite(request.principal, fastify.registry.view, request.params.siteCode, '/siteCode')
    return request.params.siteCode
  }

  fastify.post<SiteParams & { Body: Snapshot }>('/v1/sites/:siteCode/personnel', {
    config: { roles: WRITE_DATA },
    schema: {
      params,
      body: snapshotEnvelope,
      response: { 200: { type: 'object', properties: { accepted: { type: 'integer' }, headcount: { type: 'integer' } } } }
    }
  }, async (request) => {
    const snapshot = checkSnapshot(site(request), request.body, ingest, fastify.clock.now())
    await fastify.personnel.record(snapshot).catch((err: unknown) => { throw refusedAs(err, PEOPLE, true) })
    return { accepted: snapshot.people.length, headcount: snapshot.headcount }
  })

  fastify.post<SiteParams & { Body: PersonnelEvent }>('/v1/sites/:siteCode/personnel/events', {
    config: { roles: WRITE_DATA },
    schema: {
      params,
      body: personnel('PersonnelEvent'),
      response: { 200: { type: 'object', properties: { accepted: { type: 'integer' } } } }
    }
  }, async (request) => {
    const event = checkEvent(site(request), request.body, ingest, fastify.clock.now())
    await fastify.personnel.event(event).catch((err: unknown) => { throw refusedAs(err, PERSON, false) })
    return { accepted: 1 }
  })

  fastify.get<SiteParams>('/v1/sites/:siteCode/personnel', {
    config: { roles: WATCH },
    schema: { params, response: { 200: snapshotView } }
  }, async (request) => {
    const code = site(request)
    const s = await fastify.personnel.latest(code)
    if (s === undefined) throw new NotFound(`site "${code}" has sent no personnel snapshot`)
    return { ts: toIso(s.ts), headcount: s.headcount, people: s.people.map(view) }
  })
}

function view (p: StoredPerson): Record<string, string> {
  const out: Record<string, string> = { card: p.card, role: p.role }
  if (p.name !== undefined) out.name = p.name
  if (p.area !== undefined) out.area = p.area
  if (p.enteredAt !== undefined) out.enteredAt = toIso(p.enteredAt)
  return out
}
