// Real local stand-ins for what notifications reach: an HTTP receiver (node:http on a free port) for the generic
// webhook and the robots (DingTalk, WeCom, Feishu), and an SMTP server (smtp-server) for e-mail. Both record
// what they got and are closed on teardown.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import type { TestLike } from './services.js'

/** Received is one request the HTTP receiver got. */
export interface Received { path: string, query: URLSearchParams, body: any, status: number }

/** HttpReceiver answers each request with what `answer` says for it (default 200 {"errcode":0}). */
export interface HttpReceiver {
  url: string
  received: Received[]
  /** answer decides the status of a request to `path`, given how many it got on that path before */
  answer: (path: string, before: number) => number
}

/** startHttpReceiver listens on 127.0.0.1 at a free port. */
export async function startHttpReceiver (t: TestLike): Promise<HttpReceiver> {
  const r: HttpReceiver = { url: '', received: [], answer: () => 200 }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://localhost')
      const before = r.received.filter((x) => x.path === u.pathname).length
      const status = r.answer(u.pathname, before)
      r.received.push({ path: u.pathname, query: u.searchParams, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), status })
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(status === 200 ? { errcode: 0, errmsg: 'ok' } : { error: 'boom' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t.teardown(async () => await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return r
}

/** Mail is one message the SMTP server took. */
export interface Mail { from: string, to: string[], raw: string }

/** startSmtpServer listens on 127.0.0.1 at a free port, without authentication or TLS. */
export async function startSmtpServer (t: TestLike): Promise<{ url: string, mails: Mail[] }> {
  const mails: Mail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const env = session.envelope
        mails.push({ from: env.mailFrom === false ? '' : env.mailFrom.address, to: env.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  t.teardown(async () => await new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `smtp://127.0.0.1:${port}`, mails }
}

/** mailText is the decoded text body of a single-part mail (base64 or quoted-printable, UTF-8). */
export function mailText (raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split)
  const body = raw.slice(split + 4)
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`)
    return decodeURIComponent(bytes)
  }
  return body
}
