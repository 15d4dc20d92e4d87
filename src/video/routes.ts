// Video endpoints (section 5): channel lists (admin writes, every role reads), heartbeats and AI event
// batches from gateways (envelope by schema, items one by one, 200 only after QuestDB acknowledged the
// accepted items), and the stored events of a site.
import type { FastifyInstance } from 'fastify'
import type { Channels } from '../contract/index.js'
import { BatchTooLarge, InvalidBody, UnknownSite } from '../errors/catalogue.js'
import { requireSite } from '../plugins/auth.js'
import { withDetails } from '../plugins/errors.js'
import { schemaId } from '../plugins/schemas.js'
import { timeProblem } from '../ingest/validate.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from '../ingest/time-range.js'
import { toEpochMs, toIso } from '../lib/time.js'
import { checkEvents, checkHeartbeats, compileVideoValidators } from './validate.js'
import { queryEvents, type StoredEvent } from './query.js'
import { toChannelInput } from './store.js'

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }
const siteParams = { type: 'object', required: ['siteCode'], properties: { siteCode: code } }
const itemErrors = { type: 'array', items: { $ref: `${schemaId('error.json')}#/definitions/ItemError` } }
const batchResponse = { 200: { type: 'object', properties: { accepted: { type: 'integer' }, rejected: itemErrors } } }

const heartbeatEnvelope = {
  type: 'object',
  required: ['siteCode', 'ts', 'channels'],
  properties: {
    siteCode: code,
    ts: { $ref: `${schemaId('common.json')}#/definitions/Timestamp` },
    channels: { type: 'array' }
  }
}

const eventEnvelope = {
  type: 'object',
  required: ['siteCode', 'events'],
  properties: { siteCode: code, events: { type: 'array' } }
}

/** eventView is the JSON shape of a stored event in responses. */
export function eventView (e: StoredEvent): Record<string, unknown> {
  const evidence = {
    ...(e.evidence_sha256 === null ? {} : { sha256: e.evidence_sha256 }),
    ...(e.evidence_url === null ? {} : { url: e.evidence_url })
  }
  return {
    channel: e.channel,
    ts: toIso(e.ts),
    type: e.type,
    ...(e.confidence === null ? {} : { confidence: e.confidence }),
    ...(e.count === null ? {} : { count: e.count }),
    ...(Object.keys(evidence).length === 0 ? {} : { evidence }),
    receivedAt: toIso(e.received_at)
  }
}

/** videoRoutes registers the video endpoints. */
export default async function videoRoutes (fastify: FastifyInstance): Promise<void> {
  const validators = compileVideoValidators()
  const { ingest } = fastify.config
  const video = fastify.video

  function knownSite (site: string, path?: string): void {
    if (fastify.registry.view.site(site) !== undefined) return
    const err = new UnknownSite(site)
    throw path === undefined ? err : withDetails(err, [{ path, message: `site "${site}" is not registered` }])
  }

  function batchLimit (items: number): void {
    if (items > ingest.maxBatchItems) throw new BatchTooLarge(items, ingest.maxBatchItems)
  }

  fastify.put<{ Params: { siteCode: string }, Body: Channels }>('/v1/sites/:siteCode/video/channels', {
    config: { roles: ['admin'] },
    schema: { params: siteParams, body: { $ref: `${schemaId('video.json')}#/definitions/Channels` } }
  }, async (request) => {
    const { siteCode } = request.params
    requireSite(request.principal, siteCode)
    knownSite(siteCode)
    return { siteCode, channels: await video.putChannels(siteCode, request.body) }
  })

  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode/video/channels', {
    config: { roles: ['operator', 'admin', 'gateway'] },
    schema: { params: siteParams }
  }, async (request) => {
    const { siteCode } = request.params
    requireSite(request.principal, siteCode)
    knownSite(siteCode)
    return video.view.channelsOf(siteCode).map(toChannelInput)
  })

  fastify.post<{ Body: { siteCode: string, ts: number | string, channels: unknown[] } }>('/v1/video/heartbeats', {
    config: { roles: ['gateway', 'admin'] },
    schema: { body: heartbeatEnvelope, response: batchResponse }
  }, async (request) => {
    const { siteCode, channels } = request.body
    batchLimit(channels.length)
    requireSite(request.principal, siteCode)
    knownSite(siteCode, '/siteCode')
    const now = fastify.clock.now()
    const ts = toEpochMs(request.body.ts)
    const problem = Number.isNaN(ts) ? 'is not a valid timestamp' : timeProblem(ts, now, ingest)
    if (problem !== null) throw withDetails(new InvalidBody(`heartbeat ts ${problem}`), [{ path: '/ts', message: problem }])
    const { rows, rejected } = checkHeartbeats(siteCode, ts, channels, validators.heartbeat, video.view, now)
    await video.storeHeartbeats(rows)
    return { accepted: rows.length, rejected }
  })

  fastify.post<{ Body: { siteCode: string, events: unknown[] } }>('/v1/video/events', {
    config: { roles: ['gateway', 'admin'] },
    schema: { body: eventEnvelope, response: batchResponse }
  }, async (request) => {
    const { siteCode, events } = request.body
    batchLimit(events.length)
    requireSite(request.principal, siteCode)
    knownSite(siteCode, '/siteCode')
    const { rows, rejected } = checkEvents(siteCode, events, validators.event, video.view, ingest, fastify.clock.now())
    await video.storeEvents(rows)
    return { accepted: rows.length, rejected }
  })

  fastify.get<{ Params: { siteCode: string }, Querystring: TimeRangeQuery }>('/v1/sites/:siteCode/video/events', {
    config: { roles: ['operator', 'admin'] },
    schema: {
      params: siteParams,
      querystring: TIME_RANGE_QUERY
    }
  }, async (request) => {
    const { siteCode } = request.params
    requireSite(request.principal, siteCode)
    knownSite(siteCode)
    const { from, to, limit } = timeRange(request.query)
    const rows = await queryEvents(fastify.questdb.reader, siteCode, from, to, limit)
    return { events: rows.map(eventView) }
  })
}
