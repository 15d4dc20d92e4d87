// Video endpoints (section 5): channel lists (admin writes, every role reads), heartbeats and AI event
// batches from gateways (envelope by schema, count, items one by one, 200 only after QuestDB acknowledged the
// accepted items), and the stored events of a site.
import type { FastifyInstance } from 'fastify'
import type { Channels } from '../contract/index.js'
import { InvalidBody, UnknownSite } from '../errors/catalogue.js'
import { requireSite } from '../plugins/auth.js'
import { withDetails } from '../plugins/errors.js'
import { schemaId } from '../plugins/schemas.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from '../ingest/time-range.js'
import { BATCH_RESPONSE } from '../ingest/batch-response.js'
import { toIso } from '../lib/time.js'
import { allValid, checkCount, checkItems, LIST_MAX_ITEMS } from '../validate/items.js'
import { eventTime } from '../validate/event-time.js'
import { withRefusals } from '../validate/details.js'
import { checkEvents, checkHeartbeats, compileVideoValidators } from './validate.js'
import { queryEvents, type StoredEvent } from './query.js'
import { toChannelInput } from './store.js'

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }
const siteParams = { type: 'object', required: ['siteCode'], properties: { siteCode: code } }
const batchResponse = { 200: BATCH_RESPONSE }

// Where a column storage refused is in a heartbeat's channel state and in an AI event.
const HEARTBEAT_FIELDS: Record<string, string> = { channel: '/channelCode', online: '/online' }
const EVENT_FIELDS: Record<string, string> = {
  channel: '/channel', type: '/type', ts: '/ts', confidence: '/confidence', count: '/count', evidence_sha256: '/evidence/sha256', evidence_url: '/evidence/url'
}

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

  fastify.put<{ Params: { siteCode: string }, Body: unknown[] }>('/v1/sites/:siteCode/video/channels', {
    config: { roles: ['admin'] },
    // the list is counted, then its items are validated one by one against video.json#/definitions/Channels
    schema: { params: siteParams, body: { type: 'array' } }
  }, async (request) => {
    const { siteCode } = request.params
    checkCount(request.body, LIST_MAX_ITEMS, '/')
    const channels = allValid(checkItems<Channels[number], Channels[number]>(request.body, validators.channel, '', (c) => c), 'channels are')
    requireSite(request.principal, siteCode)
    knownSite(siteCode)
    return { siteCode, channels: await video.putChannels(siteCode, channels) }
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
    checkCount(channels, ingest.maxBatchItems, '/channels')
    requireSite(request.principal, siteCode)
    knownSite(siteCode, '/siteCode')
    const now = fastify.clock.now()
    const ts = eventTime(request.body.ts, now, ingest)
    if (typeof ts !== 'number') throw withDetails(new InvalidBody(`heartbeat ts ${ts.problem}`), [{ path: '/ts', message: ts.problem }])
    const checked = checkHeartbeats(siteCode, ts, channels, validators.heartbeat, video.view, now)
    const refused = await video.storeHeartbeats(checked.rows)
    return { accepted: checked.rows.length - refused.length, ...withRefusals(checked, refused, '/channels', HEARTBEAT_FIELDS) }
  })

  fastify.post<{ Body: { siteCode: string, events: unknown[] } }>('/v1/video/events', {
    config: { roles: ['gateway', 'admin'] },
    schema: { body: eventEnvelope, response: batchResponse }
  }, async (request) => {
    const { siteCode, events } = request.body
    checkCount(events, ingest.maxBatchItems, '/events')
    requireSite(request.principal, siteCode)
    knownSite(siteCode, '/siteCode')
    const checked = checkEvents(siteCode, events, validators.event, video.view, ingest, fastify.clock.now())
    const refused = await video.storeEvents(checked.rows)
    return { accepted: checked.rows.length - refused.length, ...withRefusals(checked, refused, '/events', EVENT_FIELDS) }
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
