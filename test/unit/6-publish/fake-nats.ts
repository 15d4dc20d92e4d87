// A fake NATS connection for unit tests: JetStream publish with msg-id dedup, a stream manager, and a status
// stream the test can emit on. The test decides the fate of each publish.
import type { NatsConnection, PubAck } from 'nats'

/** Sent is one publish as the fake saw it. */
export interface Sent { subject: string, msgID: string, body: Record<string, unknown> }

/** FakeNats stands in for a NatsConnection with JetStream. */
export class FakeNats {
  readonly sent: Sent[] = []
  readonly stored: string[] = []
  streams = new Map<string, Record<string, unknown>>()
  /**
   * What happens to each publish, as JetStream on one connection can fail: 'ok'; 'ack-lost' (stored, but
   * the ack times out); 'lost' (not stored, and the connection drops: the rest of the window fails too).
   */
  fate: (s: Sent) => 'ok' | 'ack-lost' | 'lost' = () => 'ok'
  private down = false
  private readonly listeners: Array<(s: { type: string }) => void> = []

  connection (): NatsConnection {
    return {
      jetstream: () => ({ publish: this.publish.bind(this) }),
      jetstreamManager: async () => ({ streams: this.streamApi() }),
      status: () => this.statusIterable()
    } as unknown as NatsConnection
  }

  emit (type: string): void { this.listeners.forEach((l) => l({ type })) }

  private async publish (subject: string, data: Uint8Array, opts: { msgID: string }): Promise<PubAck> {
    const s = { subject, msgID: opts.msgID, body: JSON.parse(Buffer.from(data).toString()) }
    this.sent.push(s)
    await new Promise((resolve) => setImmediate(resolve))
    const fate = this.down ? 'lost' : this.fate(s)
    if (fate === 'lost') {
      this.down = true
      setImmediate(() => { this.down = false }) // after the rest of this window has failed
      throw Object.assign(new Error('disconnected'), { code: 'DISCONNECT' })
    }
    const duplicate = this.stored.includes(s.msgID)
    if (!duplicate) this.stored.push(s.msgID)
    if (fate === 'ack-lost') throw Object.assign(new Error('timeout'), { code: 'TIMEOUT' })
    return { stream: 'S', seq: this.stored.length, duplicate } as PubAck
  }

  private streamApi () {
    return {
      info: async (name: string) => {
        const config = this.streams.get(name)
        if (config === undefined) throw Object.assign(new Error('stream not found'), { api_error: { err_code: 10059 } })
        return { config }
      },
      add: async (config: Record<string, unknown>) => { this.streams.set(String(config.name), config) },
      update: async (name: string, config: Record<string, unknown>) => { this.streams.set(name, config) }
    }
  }

  private statusIterable () {
    const queue: Array<{ type: string }> = []
    let wake: (() => void) | undefined
    let stopped = false
    this.listeners.push((s) => { queue.push(s); wake?.() })
    return {
      stop: () => { stopped = true; wake?.() },
      async * [Symbol.asyncIterator] () {
        for (;;) {
          if (stopped) return
          const s = queue.shift()
          if (s !== undefined) yield s
          else await new Promise<void>((resolve) => { wake = resolve })
        }
      }
    }
  }
}
