// Video endpoints (section 5): channel lists (admin writes, every role reads), heartbeats and AI event
// batches from gateways (envelope by schema, count, items one by one, 200 only after QuestDB acknowledged the
// accepted items), and the stored events of a site.
import type { FastifyInstance } from 'fastify'
import type { Channels } from '../../contract/index.js'
import { schemaId } from '../../server/plugins/schemas.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from '../../query/time-range.js'
import { batchRoute } from '../batch.js'
import { knownSite, SITE_PARAMS } from '../../registry/site-guard.js'
import { listRoute } from '../list.js'
import { toIso } from '../../lib/time.js'
import { bodyTime } from '../../2-validate/event-time.js'
import { checkEvents, checkHeartbeats, compileVideoValidators } from './validate.js'
import { queryEvents, type StoredEvent } from './query.js'
import { toChannelInput } from './store.js'
import type { HeartbeatRow, VideoEventRow } from './types.js'
import { READ_DATA, WATCH } from '../../server/auth/roles.js'

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }

// The lists of the bodies, and where a column storage refused is in a heartbeat's channel state and in an AI event.
const HEARTBEATS = { base: '/channels', fields: { channel: '/channelCode', online: '/online' } }
const EVENTS = {
  base: '/events',
  fields: { channel: '/channel', type: '/type', ts: '/ts', confidence: '/confidence', count: '/count', evidence_sha256: '/evidence/sha256', evidence_url: '/evidence/url' }
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

  // the list is counted, then its items are validated one by one against video.json#/definitions/Channels
  listRoute<Channels[number]>(fastify, '/v1/sites/:siteCode/video/channels', validators.channel, 'channels are',
    async (siteCode, channels) => ({ siteCode, channels: await video.putChannels(siteCode, channels) }))

  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode/video/channels', {
    config: { roles: READ_DATA },
    schema: { params: SITE_PARAMS }
  }, async (request) => {
    const { siteCode } = request.params
    knownSite(request.principal, fastify.registry.view, siteCode)
    return video.view.channelsOf(siteCode).map(toChannelInput)
  })

  batchRoute<{ siteCode: string, ts: number | string, channels: unknown[] }, HeartbeatRow>(fastify, '/v1/video/heartbeats', heartbeatEnvelope, (body) => ({
    items: body.channels,
    at: HEARTBEATS,
    // the heartbeat's own time is judged once the site is known, before its channel states
    check: (items) => {
      const now = fastify.clock.now()
      const ts = bodyTime(body.ts, now, ingest, 'heartbeat ts')
      return checkHeartbeats(body.siteCode, ts, items, validators.heartbeat, video.view, now)
    },
    store: video.storeHeartbeats
  }))

  batchRoute<{ siteCode: string, events: unknown[] }, VideoEventRow>(fastify, '/v1/video/events', eventEnvelope, (body) => ({
    items: body.events,
    at: EVENTS,
    check: (items) => checkEvents(body.siteCode, items, validators.event, video.view, ingest, fastify.clock.now()),
    store: video.storeEvents
  }))

  fastify.get<{ Params: { siteCode: string }, Querystring: TimeRangeQuery }>('/v1/sites/:siteCode/video/events', {
    config: { roles: WATCH },
    schema: {
      params: SITE_PARAMS,
      querystring: TIME_RANGE_QUERY
    }
  }, async (request) => {
    const { siteCode } = request.params
    knownSite(request.principal, fastify.registry.view, siteCode)
    const { from, to, limit } = timeRange(request.query)
    const rows = await queryEvents(fastify.questdb.reader, siteCode, from, to, limit)
    return { events: rows.map(eventView) }
  })
}
