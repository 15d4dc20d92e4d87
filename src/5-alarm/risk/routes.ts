// GET /v1/sites/{siteCode}/risk and GET /v1/risk: the composite risk the duty room reads (docs/risk.md), for
// operators and admins like the alarm routes, narrowed to the caller's sites.
import type { FastifyInstance } from 'fastify'
import { levelRank, type Level } from '../../contract/index.js'
import { canAccessSite, requireSite } from '../../server/plugins/auth.js'
import { UnknownSite } from '../../server/errors/catalogue.js'
import { toRiskView } from './message.js'
import type { RiskState } from './service.js'
import { scoreSite } from './score.js'
import { WATCH } from '../../server/auth/roles.js'

const V1 = 'https://minewatch.example/schemas/v1/'
const ROLES = { roles: WATCH }

/** riskRoutes registers the two risk routes; fastify.risk must be decorated. */
export default async function riskRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode/risk', {
    config: ROLES,
    schema: {
      params: { type: 'object', required: ['siteCode'], properties: { siteCode: { $ref: `${V1}common.json#/definitions/Code` } } },
      response: { 200: viewSchema }
    }
  }, async (request) => {
    const { siteCode } = request.params
    requireSite(request.principal, siteCode)
    const state = fastify.risk.site(siteCode)
    if (state !== undefined) return toRiskView(state)
    // No alarm seen there: a registered site has no risk (level null); any other code is unknown.
    if (fastify.hasDecorator('registry') && fastify.registry.view.site(siteCode) === undefined) throw new UnknownSite(siteCode)
    return toRiskView(quiet(siteCode, fastify.clock.now()))
  })

  fastify.get<{ Querystring: { minLevel?: Level } }>('/v1/risk', {
    config: ROLES,
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { minLevel: { $ref: `${V1}common.json#/definitions/Level` } } },
      response: { 200: { type: 'object', properties: { sites: { type: 'array', items: viewSchema } } } }
    }
  }, async (request) => {
    const p = request.principal
    const min = request.query.minLevel === undefined ? 0 : levelRank(request.query.minLevel)
    const sites = fastify.risk.sites()
      .filter((s) => p !== null && canAccessSite(p, s.siteCode) && s.level !== null && levelRank(s.level) >= min)
      .sort((a, b) => (b.score - a.score) || a.siteCode.localeCompare(b.siteCode))
    return { sites: sites.map(toRiskView) }
  })
}

function quiet (siteCode: string, now: number): RiskState {
  return { ...scoreSite([], null), siteCode, seq: 0, computedAt: now }
}

// Response schemas only steer serialisation (the contract with its enums is schemas/risk-message.json).
const str = { type: 'string' }
const nullableStr = { type: ['string', 'null'] }
const contributorSchema = {
  type: 'object',
  properties: {
    alarmId: str,
    ruleId: str,
    category: str,
    level: str,
    countedAs: str,
    domain: str,
    state: str,
    active: { type: 'boolean' },
    hazardClause: nullableStr,
    weight: { type: 'number' }
  }
}
const viewSchema = {
  type: 'object',
  properties: {
    siteCode: str,
    seq: { type: 'integer' },
    level: nullableStr,
    score: { type: 'number' },
    computedAt: { type: 'string', format: 'date-time' },
    floor: nullableStr,
    multiSource: { type: 'boolean' },
    domains: { type: 'array', items: str },
    openAlarms: { type: 'integer' },
    contributors: { type: 'array', items: contributorSchema }
  }
}
