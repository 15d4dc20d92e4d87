// The live feed's capability: Server-Sent Events (@fastify/sse, with the configured heartbeat), the streams it
// reads, and the open connections. Those never end by themselves, so the server's close would wait for them
// forever: preClose ends every one (its consumers released) before the HTTP server stops, and a client
// reconnects elsewhere or later with its Last-Event-ID, missing nothing.
import fp from 'fastify-plugin'
import { fastifySSE } from '@fastify/sse'
import { Gauge } from 'prom-client'
import { Subject, type Observable } from 'rxjs'
import type { FastifyInstance } from 'fastify'
import type { FeedStreams } from './source.js'
import { notices$, type Notice } from './notices.js'

/** FeedConnections is what the route needs from the plugin. */
export interface FeedConnections {
  streams: FeedStreams
  /** track counts an open connection of a caller and remembers how to end it; call the returned release once it ended */
  track: (caller: string, end: () => Promise<void>) => () => void
  /** openOf is the number of open connections of a caller */
  openOf: (caller: string) => number
  /** open is the number of open connections */
  open: () => number
  /** notices are the maintenance windows' and shelve requests' changes, for every connection */
  notices: Observable<Notice>
}

declare module 'fastify' {
  interface FastifyInstance { feed: FeedConnections }
}

async function feedPlugin (fastify: FastifyInstance): Promise<void> {
  const { config } = fastify
  await fastify.register(fastifySSE, { heartbeatInterval: config.feed.heartbeatMs })
  const ends = new Set<() => Promise<void>>()
  const gauge = new Gauge({
    name: 'minewatch_feed_connections',
    help: 'Open live feed connections (GET /v1/stream).',
    registers: [fastify.metrics.registry],
    collect () { this.set(ends.size) }
  })
  const perCaller = new Map<string, number>()
  const track = (caller: string, end: () => Promise<void>): () => void => {
    ends.add(end)
    perCaller.set(caller, (perCaller.get(caller) ?? 0) + 1)
    gauge.set(ends.size)
    return () => {
      ends.delete(end)
      const n = (perCaller.get(caller) ?? 1) - 1
      if (n <= 0) perCaller.delete(caller)
      else perCaller.set(caller, n)
      gauge.set(ends.size)
    }
  }
  const notices = new Subject<Notice>()
  const sub = notices$({ windows: fastify.maintenanceWindows, requests: fastify.shelveRequests, now: () => fastify.clock.now() }).subscribe(notices)
  fastify.decorate('feed', { streams: { alarm: config.nats.stream, risk: config.risk.stream }, track, openOf: (caller: string) => perCaller.get(caller) ?? 0, open: () => ends.size, notices })
  fastify.addHook('preClose', async () => {
    const open = [...ends]
    if (open.length > 0) fastify.log.info({ connections: open.length }, 'closing the live feed connections')
    await Promise.all(open.map(async (end) => await end().catch((err: unknown) => fastify.log.warn({ err }, 'a feed connection did not end cleanly'))))
  })
  fastify.addHook('onClose', async () => { sub.unsubscribe() })
}

/** feed is the plugin that decorates fastify.feed and serves SSE. */
export default fp(feedPlugin, { name: 'feed', dependencies: ['config', 'metrics', 'nats', 'clock', 'alarms', 'risk', 'maintenance', 'shelve-requests'] })
