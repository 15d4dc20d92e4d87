// The OpenAPI 3 description of the API, generated from the very schemas the routes validate with (@fastify/swagger,
// dynamic mode: every route registered after this plugin is collected, so it is registered early): GET
// /docs/openapi.json, and a page to read it at GET /docs (Swagger UI, served from the package's own files, no CDN,
// under a strict CSP). Both are public: the description holds no data. What the document says beyond the route
// schemas is in src/server/openapi/.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { projectRoot } from '../../3-store/paths.js'
import { DOCS_PREFIX, openapiOptions } from '../openapi/document.js'

// Same origin only, no inline script or style, nothing from other hosts (Swagger UI's validator badge is off).
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

// the server's version, from its package.json (beside dist/ in the image too)
function serverVersion (): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    return '0.0.0'
  }
}

/** openapiPlugin collects the routes registered after it and serves their description and the page. */
export default fp(async (fastify) => {
  await fastify.register(swagger, openapiOptions(serverVersion()))
  await fastify.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: DOCS_CSP,
    validatorUrl: false,
    // BaseLayout: no top bar, whose inline SVG logo carries a <style> the CSP refuses
    uiConfig: { layout: 'BaseLayout', deepLinking: true },
    theme: { title: 'minewatch API' }
  })
  fastify.get(`${DOCS_PREFIX}/openapi.json`, { schema: { hide: true } }, async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff')
    return fastify.swagger()
  })
}, { name: 'openapi', dependencies: ['schemas'] })
