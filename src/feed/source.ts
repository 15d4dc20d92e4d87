// What one feed connection reads: an ordered (ephemeral, unacknowledged) JetStream consumer per stream, each
// starting right after the connection's position, both handed to one sink one message at a time. A consumer
// waits for its message to be written before it takes the next, so a slow client holds at most one pull batch
// per stream in memory, and the two streams never interleave inside a write.
import type { ConsumerMessages, NatsConnection } from 'nats'
import type { FeedPosition } from './id.js'

/** FeedKind names the stream a message comes from, and is the SSE event name it is sent as. */
export type FeedKind = 'alarm' | 'risk'

/** FeedMessage is one stream message as the feed passes it on: its body exactly as published. */
export interface FeedMessage { kind: FeedKind, seq: number, subject: string, data: string }

/** FeedStreams name the JetStream streams behind the feed (config MINEWATCH_ALARM_STREAM, MINEWATCH_RISK_STREAM). */
export interface FeedStreams { alarm: string, risk: string }

/** FeedSource is an open pair of consumers; `ended` settles when either stops (rejects if it failed). */
export interface FeedSource { ended: Promise<void>, close: () => Promise<void> }

// How long closing waits for NATS to delete a consumer: a connection that is down must not hold a close.
const RELEASE_TIMEOUT_MS = 2000

/** streamPositions reads the last sequence of each stream: where a feed "from now" starts after. */
export async function streamPositions (nc: NatsConnection, streams: FeedStreams): Promise<FeedPosition> {
  const jsm = await nc.jetstreamManager()
  const [alarm, risk] = await Promise.all([jsm.streams.info(streams.alarm), jsm.streams.info(streams.risk)])
  return { alarmSeq: alarm.state.last_seq, riskSeq: risk.state.last_seq }
}

/** openSource starts both consumers after `after` and feeds `sink` until closed or until a consumer fails. */
export async function openSource (nc: NatsConnection, streams: FeedStreams, after: FeedPosition, sink: (m: FeedMessage) => Promise<void>): Promise<FeedSource> {
  const js = nc.jetstream()
  const [alarm, risk] = await Promise.all([
    js.consumers.get(streams.alarm, { opt_start_seq: after.alarmSeq + 1 }),
    js.consumers.get(streams.risk, { opt_start_seq: after.riskSeq + 1 })
  ])
  const opened: Array<{ messages: ConsumerMessages, consumer: typeof alarm }> = []
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    for (const o of opened) o.messages.stop()
    // the server forgets an idle ordered consumer by itself; deleting it now frees it at once
    await Promise.all(opened.map(async (o) => await withTimeout(o.consumer.delete().then(() => {}, () => {}))))
  }
  try {
    for (const consumer of [alarm, risk]) opened.push({ messages: await consumer.consume({ max_messages: 100 }), consumer })
  } catch (err) {
    await close()
    throw err
  }
  // one write at a time across both streams: a position and the id written with it always go together
  let last = Promise.resolve()
  const serial = async (m: FeedMessage): Promise<void> => { last = last.then(async () => await sink(m)); await last }
  const pump = async (kind: FeedKind, messages: ConsumerMessages): Promise<void> => {
    for await (const m of messages) {
      if (closed) break
      await serial({ kind, seq: m.seq, subject: m.subject, data: m.string() })
    }
  }
  const ended = Promise.race(opened.map(async (o, i) => await pump(i === 0 ? 'alarm' : 'risk', o.messages)))
  return { ended, close }
}

async function withTimeout (p: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([p, new Promise<void>((resolve) => { timer = setTimeout(resolve, RELEASE_TIMEOUT_MS) })])
  clearTimeout(timer)
}
