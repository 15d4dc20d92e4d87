// A small Server-Sent Events client for tests: a real HTTP connection (fetch) whose body is parsed into events
// and comments by eventsource-parser, so the frames are checked as a browser's EventSource would read them.
// It does not reconnect by itself: a test reconnects explicitly, with the Last-Event-ID it chooses.
import { createParser } from 'eventsource-parser'

/** SseEvent is one dispatched event: its name ('message' when none was sent), id and data. */
export interface SseEvent { event: string, id: string | undefined, data: string }

/** SseOpenOptions are the request headers (auth, Last-Event-ID, cookie) of the connection. */
export interface SseOpenOptions { headers?: Record<string, string> }

/** SseClient is one open feed connection, or the error answer the server gave instead. */
export class SseClient {
  readonly events: SseEvent[] = []
  readonly comments: string[] = []
  /** settles when the server ends the stream (or the client closes it) */
  readonly ended: Promise<void>
  private readonly wakers = new Set<() => void>()
  private done = false

  private constructor (readonly status: number, readonly contentType: string, readonly errorBody: unknown, private readonly abort: AbortController, body: ReadableStream<Uint8Array> | null) {
    this.ended = body === null ? Promise.resolve() : this.read(body)
    this.ended.catch(() => {}).finally(() => { this.done = true; this.wake() }).catch(() => {})
  }

  /** open connects to `url`; a non-2xx answer is kept whole in errorBody (parsed JSON when it is JSON). */
  static async open (url: string, o: SseOpenOptions = {}): Promise<SseClient> {
    const abort = new AbortController()
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...o.headers }, signal: abort.signal })
    const contentType = res.headers.get('content-type') ?? ''
    if (!res.ok) {
      const text = await res.text()
      return new SseClient(res.status, contentType, contentType.includes('json') ? JSON.parse(text) : text, abort, null)
    }
    return new SseClient(res.status, contentType, undefined, abort, res.body)
  }

  private async read (body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({
      onEvent: (e) => { this.events.push({ event: e.event ?? 'message', id: e.id, data: e.data }); this.wake() },
      onComment: (c) => { this.comments.push(c); this.wake() }
    })
    const decoder = new TextDecoder()
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }))
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err
    }
  }

  /** named lists the events of one name, their data parsed as JSON. */
  named<T = any> (event: string): Array<{ id: string | undefined, data: T }> {
    return this.events.filter((e) => e.event === event).map((e) => ({ id: e.id, data: JSON.parse(e.data) as T }))
  }

  /** lastId is the id of the last event that carried one (what an EventSource would resume with). */
  lastId (): string | undefined {
    return this.events.findLast((e) => e.id !== undefined)?.id
  }

  /** until resolves once `pred` holds, or rejects after timeoutMs (a bound that only catches hangs). */
  async until (pred: (c: SseClient) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!pred(this)) {
      const left = deadline - Date.now()
      if (left <= 0 || this.done) {
        throw new Error(`${what}: not seen ${this.done ? 'before the stream ended' : `within ${timeoutMs} ms`}; events: ${JSON.stringify(this.events.map((e) => `${e.event} ${e.id ?? ''}`))}`)
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => { clearTimeout(timer); this.wakers.delete(wake); resolve() }
        const timer = setTimeout(wake, left)
        this.wakers.add(wake)
      })
    }
  }

  /** finished tells whether the stream has ended */
  get finished (): boolean {
    return this.done
  }

  /** close drops the connection, as a client going away does. */
  async close (): Promise<void> {
    this.abort.abort()
    await this.ended.catch(() => {})
  }

  private wake (): void {
    for (const w of [...this.wakers]) w()
  }
}
