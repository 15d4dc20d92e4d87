// The OpenAPI description as @fastify/swagger generates it (src/server/plugins/openapi.ts serves it): its options,
// and what is added to each route's own schemas at generation time (the route's schema is never changed): the area
// (tag), a summary, the roles and security, the contract's schema of the bodies validated item by item, the
// examples, and the responses of the routes that answer other than JSON or other than 200.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import type { FastifySchema, RouteOptions } from 'fastify'
import { SESSION_COOKIE } from '../../users/principal.js'
import { BODIES, ERROR_RESPONSES, RESPONSES, SUMMARIES, TAGS, tagOf, type Responses } from './catalogue.js'
import { BODY_EXAMPLES } from './examples.js'

const SCHEMA_BASE = 'https://minewatch.example/schemas/v1/'

/** DOCS_PREFIX is where the page is; the description is at `${DOCS_PREFIX}/openapi.json`. */
export const DOCS_PREFIX = '/docs'

/** isHidden says which routes the description leaves out: the console's page and assets, and the docs themselves. */
export function isHidden (url: string): boolean {
  return url === '/console' || url.startsWith('/console/') || url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`)
}

// A shared schema is named by its file (https://…/v1/alarm-actions.json → alarm-actions), its definitions
// alarm-actions-Ack and so on.
function componentName (json: { $id?: unknown }, i: number): string {
  const id = typeof json.$id === 'string' ? json.$id : ''
  return id.startsWith(SCHEMA_BASE) ? id.slice(SCHEMA_BASE.length).replace(/\.json$/, '') : `schema-${i}`
}

// getV1SitesBySiteCodePoints: one id per operation, from its method and URL.
function operationId (method: string, url: string): string {
  const words = url.split('/').filter((s) => s !== '').map((s) => s.startsWith(':') ? `by-${s.slice(1)}` : s)
  return [method.toLowerCase(), ...words.flatMap((w) => w.split(/[-_.]/))]
    .map((w, i) => i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
}

// What the description says of one route on top of its schemas. The route's own schema is never changed.
function describe ({ schema, url, route }: { schema: FastifySchema | undefined, url: string, route: RouteOptions }): { schema: FastifySchema, url: string } {
  const own = (schema ?? {}) as Record<string, unknown>
  if (isHidden(url)) return { schema: { ...own, hide: true }, url }
  const method = String(route.method)
  const key = `${method} ${url}`
  const roles = route.config?.roles
  // DELETE /v1/session has no roles (any session may end itself) but needs the session it ends
  const secured = roles !== undefined || key === 'DELETE /v1/session'
  const contract = BODIES[key]
  const lines = [
    ...(typeof own.description === 'string' ? [own.description] : []),
    ...(contract === undefined ? [] : [contract.note]),
    roles === undefined
      ? (secured ? 'Needs the session it ends (bearer token or cookie).' : 'Public: no credentials needed.')
      : `Roles: ${roles.join(', ')}, by a bearer token or the session cookie. A caller limited to some sites reaches only those.`
  ]
  const ownResponses = (own.response ?? {}) as Responses
  const extra = RESPONSES[key]?.(ownResponses) ?? {}
  const response: Responses = {
    ...Object.fromEntries(Object.entries(ownResponses).map(([code, r]) => [code, described(code, r)])),
    ...extra,
    ...ERROR_RESPONSES.any,
    ...(secured ? ERROR_RESPONSES.protected : {})
  }
  // a route that declares no answer still answers 200 (JSON) unless it says otherwise
  if (!Object.keys(response).some((code) => code.startsWith('2'))) response[200] = { [X_RESPONSE_DESCRIPTION]: 'OK' }
  const body = contract === undefined ? own.body : { $ref: contract.$ref }
  return {
    schema: {
      ...own,
      operationId: operationId(method, url),
      tags: (own.tags as string[] | undefined) ?? [tagOf(url)].filter((t) => t !== undefined),
      ...(own.summary === undefined && SUMMARIES[key] !== undefined ? { summary: SUMMARIES[key] } : {}),
      description: lines.join('\n\n'),
      ...(secured ? { security: [{ bearerAuth: [] }, { cookieAuth: [] }] } : {}),
      ...(roles === undefined ? {} : { 'x-roles': [...roles] }),
      ...(body === undefined ? {} : { body }),
      response
    },
    url
  }
}

// A response schema of a route says nothing of itself: name its status.
function described (code: string, schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || 'description' in schema) return schema
  return { ...schema, [X_RESPONSE_DESCRIPTION]: code === '201' ? 'Created' : 'OK' }
}

const X_RESPONSE_DESCRIPTION = 'x-response-description'
const COMPONENTS = '#/components/schemas/'

/**
 * fixRefs repairs two kinds of reference @fastify/swagger 9 leaves dangling when it names the shared schemas'
 * definitions X-Y (common.json#/definitions/Code → common-Code): a relative reference between two shared schemas
 * ("common.json#/definitions/Code" inside readings.json, left as "common.json#/components/schemas/Code") and a
 * reference in a path or query parameter ("#/components/schemas/common/components/schemas/Code"). A reference
 * whose repair names no component is left as it is (the document then fails validation: test/http/openapi.test.ts).
 */
export function fixRefs (doc: Record<string, unknown>): Record<string, unknown> {
  const components = (doc.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {}
  const repaired = (ref: string): string => {
    const m = /^([\w.-]+)\.json(?:#\/(?:definitions|components\/schemas)\/([\w.-]+))?$/.exec(ref) ??
      /^#\/components\/schemas\/([\w.-]+)\/(?:definitions|components\/schemas)\/([\w.-]+)$/.exec(ref)
    if (m === null) return ref
    const name = m[2] === undefined ? m[1] as string : `${m[1] as string}-${m[2]}`
    return Object.hasOwn(components, name) ? COMPONENTS + name : ref
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk)
    } else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>
      if (typeof o.$ref === 'string') o.$ref = repaired(o.$ref)
      for (const [k, v] of Object.entries(o)) if (k !== 'example' && k !== 'examples') walk(v)
    }
  }
  walk(doc.paths)
  walk(components)
  return doc
}

/**
 * withExamples puts the contract's examples on the JSON request bodies (a body that is only a $ref to a shared
 * schema loses any sibling keyword in the generation, so they are added to the finished document).
 */
export function withExamples (doc: Record<string, unknown>): Record<string, unknown> {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { requestBody?: { content?: Record<string, { examples?: unknown }> } }>>
  for (const [key, examples] of Object.entries(BODY_EXAMPLES)) {
    const [method = '', url = ''] = key.split(' ')
    const media = paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']
    if (media !== undefined) media.examples = examples
  }
  return doc
}

/** openapiOptions are the @fastify/swagger options of the app's description. */
export function openapiOptions (version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'minewatch API (access standard v1)',
        version,
        description: 'Real-time safety monitoring and early warning for mines (矿山安全监测预警). The contract is the access ' +
          'standard v1 (docs/access-standard-v1.zh.md); every error answers `{ error, message, details }` (docs/errors.md). ' +
          'Request bodies, parameters and queries are described by the same JSON Schemas the server validates them with.'
      },
      tags: TAGS.map((t) => ({ ...t })),
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token of the tokens file (gateways, scripts), or the token a login returns.' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie a login sets (the console); not accepted from other sites\' pages for writes.' }
        }
      }
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => componentName(json, i)
    },
    transform: describe,
    transformObject: (doc) => withExamples(fixRefs('openapiObject' in doc ? doc.openapiObject as Record<string, unknown> : doc.swaggerObject as Record<string, unknown>))
  }
}
