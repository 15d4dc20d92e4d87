// GET /v1/stream: the live feed (access standard appendix A.14). Events: `ready` first (the positions the feed
// starts after), then `alarm` and `risk`, each the message exactly as published on NATS, each with the id
// "<alarmSeq>-<riskSeq>". Last-Event-ID (or ?since= for clients without EventSource) resumes after an id;
// without either the feed starts now. Messages of sites the caller may not see are passed over: their
// sequence still moves the id on, so a resume never reads them again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { WATCH } from '../server/auth/roles.js'
import type { Principal } from '../server/auth/tokens.js'
import { InvalidHeader, InvalidQuery, MessagingUnavailable, TooManyStreams } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { formatFeedId, parseFeedId, type FeedPosition } from './id.js'
import { visibleTo } from './scope.js'
import { canAccessSite } from '../server/auth/tokens.js'
import { openSource, streamPositions, type FeedMessage } from './source.js'

interface StreamQuery { since?: string }

const ID_RULE = 'must be "<alarmSeq>-<riskSeq>", two decimal stream sequences as sent in an event id'

/** feedRoutes registers GET /v1/stream. */
export default async function feedRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Querystring: StreamQuery }>('/v1/stream', {
    config: { roles: WATCH },
    // 'only': EventSource sends Accept: text/event-stream, fetch and curl */*; both get the stream
    sse: { kind: 'only', serializer: (data: unknown) => typeof data === 'string' ? data : JSON.stringify(data) },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { since: { type: 'string', maxLength: 64 } } } }
  }, async (request, reply) => {
    const resumeAfter = resumePoint(request)
    const principal = request.principal as Principal
    const caller = callerOf(principal)
    const max = fastify.config.feed.maxPerCaller
    if (fastify.feed.openOf(caller) >= max) throw new TooManyStreams(`${caller} already holds ${max} live feeds (MINEWATCH_STREAM_MAX_PER_CALLER): close one first`)
    const nc = fastify.nats.connection
    if (!fastify.nats.connected()) throw new MessagingUnavailable('not connected')
    let position: FeedPosition
    try {
      position = resumeAfter ?? await streamPositions(nc, fastify.feed.streams)
    } catch (err) {
      throw new MessagingUnavailable((err as Error).message, { cause: err })
    }
    await serve(fastify, request, reply, principal, position)
  })
}

// a person by name (every tab and screen of theirs counts together), a token by its name
function callerOf (p: Principal): string {
  return p.username === undefined ? `token:${p.name}` : `user:${p.username}`
}

// The header wins over ?since=: an EventSource opened with ?since= reconnects to the same URL with the header.
function resumePoint (request: FastifyRequest<{ Querystring: StreamQuery }>): FeedPosition | undefined {
  const header = request.headers['last-event-id']
  if (typeof header === 'string' && header.trim() !== '') {
    const p = parseFeedId(header)
    if (p === undefined) throw withDetails(new InvalidHeader(`header Last-Event-ID ${ID_RULE}`), [{ path: '/headers/last-event-id', message: ID_RULE }])
    return p
  }
  const since = request.query.since
  if (since === undefined || since === '') return undefined
  const p = parseFeedId(since)
  if (p === undefined) throw withDetails(new InvalidQuery(`query since ${ID_RULE}`), [{ path: '/querystring/since', message: ID_RULE }])
  return p
}

// Streams until the client goes, the server closes, or a consumer fails (then the client reconnects and resumes).
// The caller is checked again every recheck period: a logout, a disabled account or a lost role ends the
// stream, and a narrower scope applies from the next message on.
async function serve (fastify: FastifyInstance, request: FastifyRequest, reply: FastifyReply, principal: Principal, start: FeedPosition): Promise<void> {
  const position = { ...start }
  const caller = { principal }
  // one write at a time: a stream message and a notice never interleave
  let writing = Promise.resolve()
  const write = async (e: { id?: string, event: string, data: unknown }): Promise<void> => {
    writing = writing.then(async () => { if (reply.sse.isConnected) await reply.sse.send(e) })
    await writing
  }
  const sink = async (m: FeedMessage): Promise<void> => {
    if (m.kind === 'alarm') position.alarmSeq = m.seq
    else position.riskSeq = m.seq
    if (!visibleTo(caller.principal, m.subject)) return
    await write({ id: formatFeedId(position), event: m.kind, data: m.data })
  }
  let source
  try {
    source = await openSource(fastify.nats.connection, fastify.feed.streams, start, sink)
  } catch (err) {
    throw new MessagingUnavailable((err as Error).message, { cause: err })
  }
  reply.sse.keepAlive()
  const ended = new Promise<void>((resolve) => reply.sse.onClose(resolve))
  let timer: NodeJS.Timeout | undefined
  const revoked = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      fastify.authenticate(request).then((p) => {
        if (p === null || !WATCH.includes(p.role)) resolve()
        else caller.principal = p
      }, () => {}) // a failed check (KV unreachable) is not a revocation: the next one decides
    }, fastify.config.feed.recheckMs)
  })
  const notices = fastify.feed.notices.subscribe((n) => {
    if (canAccessSite(caller.principal, n.siteCode)) write({ event: n.event, data: n.data }).catch(() => {})
  })
  const end = async (): Promise<void> => { clearInterval(timer); notices.unsubscribe(); reply.sse.close(); await source.close() }
  const release = fastify.feed.track(callerOf(principal), end)
  try {
    await write({ id: formatFeedId(start), event: 'ready', data: start })
    const failed = source.ended.then(() => {}, (err: unknown) => request.log.warn({ err }, 'live feed consumer failed; the client resumes on reconnect'))
    await Promise.race([ended, failed, revoked.then(() => request.log.info('live feed ended: its caller is no longer allowed'))])
  } finally {
    await end()
    release()
  }
}
