// Minimal keep-alive JSON client on node:http. node:http rather than fetch: fewer allocations per request,
// and the generator shares two cores with the server it measures, so its own CPU cost matters.
import { Agent, request } from 'node:http'

/** PostResult is what the generator needs from an answer: status, back-off, and the accept count. */
export interface PostResult { status: number, retryAfterMs: number, accepted: number, rejected: number, text: string }

/** JsonClient sends JSON requests to one server with a bearer token over a pool of kept-alive sockets. */
export class JsonClient {
  private readonly agent: Agent
  private readonly base: URL

  constructor (baseUrl: string, private readonly token: string, maxSockets = 16) {
    this.base = new URL(baseUrl)
    this.agent = new Agent({ keepAlive: true, maxSockets })
  }

  /** send makes one request and reads the whole answer; it rejects only on network errors. */
  send (method: string, path: string, body?: string): Promise<PostResult> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${this.token}` }
      const payload = body === undefined ? undefined : Buffer.from(body, 'utf8')
      if (payload !== undefined) {
        headers['content-type'] = 'application/json'
        headers['content-length'] = payload.length
      }
      const req = request({
        host: this.base.hostname, port: this.base.port, path, method, headers, agent: this.agent
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => resolve(toResult(res.statusCode ?? 0, res.headers['retry-after'], Buffer.concat(chunks).toString('utf8'))))
      })
      req.on('error', reject)
      req.end(payload)
    })
  }

  close (): void { this.agent.destroy() }
}

function toResult (status: number, retryAfter: string | string[] | undefined, text: string): PostResult {
  let accepted = 0
  let rejected = 0
  if (status === 200 && text.startsWith('{')) {
    const parsed = JSON.parse(text) as { accepted?: number, rejected?: unknown[] }
    accepted = parsed.accepted ?? 0
    rejected = parsed.rejected?.length ?? 0
  }
  // Retry-After is in seconds (section 1); without it a gateway still waits a little before resending.
  const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000
  return { status, retryAfterMs, accepted, rejected, text }
}
