// The duty-room console: the built single-page app (console/, built by scripts/build-console.ts) served at
// /console/. The page itself is public (it shows the login); everything it shows comes from the API, which checks
// the caller. Hashed assets are cached for good, index.html never (a new build must reach the wall screen).
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyReply } from 'fastify'
import { ConsoleNotBuilt, NotFound } from '../server/errors/catalogue.js'

// Same origin only: no inline script, no framing, no other hosts. Inline styles are allowed because Preact sets
// style attributes (the chart's colours); connect-src 'self' covers the API and the event stream.
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'"
].join('; ')

const PREFIX = '/console/'

function secure (reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP)
  reply.header('x-content-type-options', 'nosniff')
  reply.header('referrer-policy', 'same-origin')
}

/** consolePlugin serves config.console.dir at /console/, index.html for the app's own routes. */
export default fp(async (fastify) => {
  const dir = fastify.config.console.dir
  const index = join(dir, 'index.html')
  // Looked up until found, so a build finished after start-up is served without a restart.
  let found = false
  const built = (): boolean => found || (found = existsSync(index))

  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: PREFIX,
    wildcard: false,
    index: false,
    serve: false,
    decorateReply: true
  })

  fastify.get('/console', async (_request, reply) => await reply.redirect(PREFIX))

  // /console/assets/<hashed name>: immutable; anything else under /console/ is a route of the app: index.html.
  fastify.get('/console/*', async (request, reply) => {
    if (!built()) throw new ConsoleNotBuilt(index)
    secure(reply)
    const path = (request.params as { '*': string })['*']
    if (path.startsWith('assets/')) {
      // a stale page asking for an asset of an older build gets a 404 (sendFile calls the not-found handler),
      // not the page in its place
      if (path.includes('..')) throw new NotFound(`no console asset ${path}`)
      return await reply.sendFile(path, { maxAge: '365d', immutable: true })
    }
    reply.header('cache-control', 'no-cache')
    return await reply.sendFile('index.html', { cacheControl: false })
  })
}, { name: 'console', dependencies: ['config'] })
