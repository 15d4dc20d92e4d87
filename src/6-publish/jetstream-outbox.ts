// The outbox on a NATS connection: the stream is ensured before the first record, and again whenever a
// publish finds it deleted; a reconnect cuts the retry backoff short. What every JetStream publisher uses.
import { Events, type NatsConnection, type Status } from 'nats'
import { Observable } from 'rxjs'
import { createOutbox, type Outbox, type OutboxOptions } from './outbox.js'
import { ensureStream, type StreamOptions } from './stream.js'

/** JetStreamOutboxOptions are the outbox's options, with the connection and the stream to publish to. */
export interface JetStreamOutboxOptions<R> extends Omit<OutboxOptions<R>, 'publish' | 'ensureStream' | 'wake$'> {
  nc: NatsConnection
  /** the stream the records' subjects go to: created, or updated when its options differ */
  stream: StreamOptions
}

/** createJetStreamOutbox makes sure the stream exists, then returns the outbox publishing to it. */
export async function createJetStreamOutbox<R> (o: JetStreamOutboxOptions<R>): Promise<Outbox<R>> {
  const { nc, stream, ...rest } = o
  const ensure = async (): Promise<void> => { await ensureStream(nc, stream, o.log) }
  await ensure()
  const js = nc.jetstream()
  return createOutbox<R>({
    ...rest,
    publish: async (subject, data, opts) => await js.publish(subject, data, opts),
    ensureStream: ensure,
    wake$: reconnects(nc)
  })
}

/** reconnects emits each time the connection is re-established; unsubscribing stops its status stream. */
export function reconnects (nc: NatsConnection): Observable<void> {
  return new Observable<void>((subscriber) => {
    // nats.js returns a QueuedIterator (with stop()) typed as a plain AsyncIterable.
    const status = nc.status() as AsyncIterable<Status> & { stop?: () => void }
    const watch = async (): Promise<void> => {
      for await (const s of status) if (s.type === Events.Reconnect) subscriber.next()
    }
    watch().catch(() => {}) // the status stream only ends when the connection closes
    return () => status.stop?.()
  })
}
