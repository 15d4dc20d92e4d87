// The OpenAPI description (GET /docs/openapi.json) of the real app, and its page (GET /docs): the document is valid
// OpenAPI 3, every route the app serves is in it (the console's and the docs' own routes aside) with its method and
// {param} path, the security it states is the one the server enforces, the contract's examples are there and are
// bodies the contract schemas accept, and the page loads nothing from another host. The app needs real QuestDB and
// nats-server to boot (it is the whole app that is described), so they are started once for the file.
import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { DOCS_CSP } from '../../src/server/plugins/openapi.js'
import { isHidden } from '../../src/server/openapi/document.js'
import { TAGS } from '../../src/server/openapi/catalogue.js'
import { createAjv } from '../../src/2-validate/ajv.js'
import { loadSchemas, schemaId } from '../../src/server/plugins/schemas.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  'x-roles'?: string[]
  parameters?: Array<{ name: string, in: string, required?: boolean }>
  requestBody?: { content: Record<string, { schema?: { $ref?: string }, examples?: Record<string, { value: unknown }> }> }
  responses: Record<string, { content?: Record<string, unknown> }>
}
interface Doc {
  openapi: string
  security?: unknown
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown>, securitySchemes: Record<string, Record<string, string>> }
}

const res = await app.inject('/docs/openapi.json')
const doc = res.json() as Doc

/**
 * servedRoutes reads every route of the app from printRoutes' radix tree (a line is a segment; a route's path is
 * its segments from the root down) and checks each with hasRoute, so a misread tree fails instead of passing.
 */
function servedRoutes (fastify: FastifyInstance): Array<{ method: string, url: string }> {
  const out: Array<{ method: string, url: string }> = []
  const stack: string[] = []
  for (const line of fastify.printRoutes().split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line)
    if (m === null) continue
    const depth = (m[1] as string).length / 4
    stack.length = depth
    stack.push(m[2] as string)
    const url = stack.join('')
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      if (!fastify.hasRoute({ method: method as HTTPMethods, url })) throw new Error(`printRoutes misread: ${method} ${url}`)
      out.push({ method, url })
    }
  }
  return out
}

const openapiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}')
const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))

t.test('openapi - the description is public JSON and valid OpenAPI 3 (swagger-parser)', async (t) => {
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.match(doc.openapi, /^3\.\d+\.\d+$/)
  // validate() dereferences the object it is given: a copy, so the checks below see the document as served
  await t.resolves(SwaggerParser.validate(structuredClone(doc) as never), 'swagger-parser validates it')
  const danglingRefs = JSON.stringify(doc).match(/"\$ref":"(?!#\/components\/schemas\/)[^"]*"/g) ?? []
  t.same(danglingRefs, [], 'every $ref points into components/schemas')
  for (const ref of new Set(JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g) ?? [])) {
    t.ok(Object.hasOwn(doc.components.schemas, ref.slice('#/components/schemas/'.length)), `${ref} exists`)
  }
})

t.test('openapi - every route the app serves is described, with its method; hidden ones are not', async (t) => {
  const served = servedRoutes(app).filter((r) => r.method !== 'HEAD')
  const visible = served.filter((r) => !isHidden(r.url))
  t.ok(visible.length >= 50, `${visible.length} routes described`)
  t.ok(served.some((r) => r.url === '/console/*'), 'the console is served (and hidden)')
  for (const { method, url } of visible) {
    t.ok(doc.paths[openapiPath(url)]?.[method.toLowerCase()], `${method} ${url} is in paths`)
  }
  const listed = new Set(visible.map((r) => `${r.method.toLowerCase()} ${openapiPath(r.url)}`))
  for (const { path, method } of operations) t.ok(listed.has(`${method} ${path}`), `${method} ${path} is a served route`)
  t.equal(operations.length, visible.length, 'one operation per route')
  for (const hidden of Object.keys(doc.paths).filter((p) => isHidden(p))) t.fail(`${hidden} should be hidden`)
  t.notOk(Object.keys(doc.paths).some((p) => p.includes(':')), 'no :param path')
})

t.test('openapi - path parameters are {name}, required, in the path', async (t) => {
  const site = doc.paths['/v1/sites/{siteCode}']?.get
  t.ok(site, '/v1/sites/{siteCode}')
  t.match(site?.parameters, [{ name: 'siteCode', in: 'path', required: true }])
  const readings = doc.paths['/v1/sites/{siteCode}/points/{pointCode}/readings']?.get
  t.same(readings?.parameters?.filter((p) => p.in === 'path').map((p) => p.name).sort(), ['pointCode', 'siteCode'])
  for (const { path, method, op } of operations) {
    const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    const params = (op.parameters ?? []).filter((p) => p.in === 'path')
    t.same(params.map((p) => p.name).sort(), named, `${method} ${path}: its path parameters`)
    t.ok(params.every((p) => p.required === true), `${method} ${path}: path parameters are required`)
  }
})

t.test('openapi - every operation has an area, a summary and an id', async (t) => {
  const tags = new Set<string>(TAGS.map((tag) => tag.name))
  for (const { path, method, op } of operations) {
    t.equal(op.tags?.length, 1, `${method} ${path} has one tag`)
    t.ok(tags.has(op.tags?.[0] ?? ''), `${method} ${path}: tag ${String(op.tags?.[0])} is an area`)
    t.match(op.summary, /\S/, `${method} ${path} has a summary`)
    t.match(op.operationId, /^[a-z]+[A-Za-z0-9]*$/, `${method} ${path} has an id`)
  }
  t.equal(new Set(operations.map((o) => o.op.operationId)).size, operations.length, 'ids are unique')
})

t.test('openapi - security: bearer and cookie schemes, on exactly the routes the server guards', async (t) => {
  t.match(doc.components.securitySchemes, {
    bearerAuth: { type: 'http', scheme: 'bearer' },
    cookieAuth: { type: 'apiKey', in: 'cookie', name: 'minewatch_session' }
  })
  t.equal(doc.security, undefined, 'no global security: public routes stay public')
  const readings = doc.paths['/v1/readings']?.post
  t.same(readings?.security, [{ bearerAuth: [] }, { cookieAuth: [] }], 'POST /v1/readings: bearer or cookie')
  t.same(readings?.['x-roles'], ['gateway', 'admin'], 'and its roles')
  t.same(doc.paths['/v1/alarms/{alarmId}/ack']?.post?.['x-roles'], ['operator', 'supervisor', 'admin'])
  t.equal(doc.paths['/health']?.get?.security, undefined, '/health is public')
  const open = operations.filter((o) => o.op.security === undefined).map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()
  t.same(open, ['GET /health', 'GET /metrics', 'GET /ready', 'POST /v1/session'], 'the public operations')
  // what the description says is what the server does: without credentials, a guarded operation is a 401
  for (const { path, method, op } of operations) {
    const url = path.replace(/\{\w+\}/g, 'X1')
    const answer = await app.inject({ method: method.toUpperCase() as HTTPMethods, url, ...(method === 'get' || method === 'delete' ? {} : { payload: {} }) })
    if (op.security === undefined) t.not(answer.statusCode, 401, `${method} ${path} answers without credentials`)
    else t.equal(answer.statusCode, 401, `${method} ${path} needs credentials`)
  }
})

t.test('openapi - the access standard\'s examples are on the main write bodies, and the contract accepts them', async (t) => {
  const examples = (path: string, method: string): Record<string, { value: unknown }> =>
    doc.paths[path]?.[method]?.requestBody?.content['application/json']?.examples ?? {}
  t.same(examples('/v1/readings', 'post').readings?.value, {
    siteCode: 'SC-IRON',
    readings: [{ point: 'CO-101', ts: '2026-11-21T08:00:20.000+08:00', value: 12.5, status: 0 }]
  }, 'the readings example of section 3')
  t.match(examples('/v1/sites/{siteCode}/points', 'put').points?.value, [{ pointCode: 'CO-101', quantity: 'co', limits: { upperAlarm: 24 } }])
  t.match(examples('/v1/alarms/{alarmId}/ack', 'post').ack?.value, { by: '值班员A' })
  t.match(examples('/v1/alarms/{alarmId}/dispatch', 'post').dispatch?.value, { assignee: String })
  t.match(examples('/v1/alarms/{alarmId}/close', 'post').close?.value, { disposition: 'confirmed' })

  // each example against the contract schema the description names for its body, with the server's body options
  const ajv = createAjv('body', loadSchemas())
  const idOf = (ref: string): string => {
    const name = ref.replace('#/components/schemas/', '')
    const m = /^(.*?)(?:-([A-Z][A-Za-z]*))?$/.exec(name) as RegExpExecArray
    const file = schemaId(`${m[1] as string}.json`)
    return m[2] === undefined ? file : `${file}#/definitions/${m[2]}`
  }
  let count = 0
  for (const { path, method, op } of operations) {
    const media = op.requestBody?.content['application/json']
    for (const [name, example] of Object.entries(media?.examples ?? {})) {
      count++
      const ref = media?.schema?.$ref
      if (ref === undefined) {
        t.fail(`${method} ${path}: an example on a body that names no contract schema`)
        continue
      }
      const validate = ajv.getSchema(idOf(ref))
      t.ok(validate, `${ref} is a contract schema`)
      t.ok(validate?.(structuredClone(example.value)), `${method} ${path} example ${name} is valid: ${JSON.stringify(validate?.errors ?? null)}`)
    }
  }
  t.ok(count >= 10, `${count} examples checked`)
})

t.test('openapi - the live feed is text/event-stream, metrics text/plain, evidence JSON or zip', async (t) => {
  t.ok(doc.paths['/v1/stream']?.get?.responses[200]?.content?.['text/event-stream'], '/v1/stream')
  t.ok(doc.paths['/metrics']?.get?.responses[200]?.content?.['text/plain'], '/metrics')
  const evidence = doc.paths['/v1/alarms/{alarmId}/evidence']?.get?.responses[200]?.content ?? {}
  t.same(Object.keys(evidence).sort(), ['application/json', 'application/zip'])
})

t.test('openapi - GET /docs is an HTML page under a strict CSP that loads nothing from another host', async (t) => {
  const page = await app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.equal(page.headers['content-security-policy'], DOCS_CSP)
  t.notMatch(DOCS_CSP, /unsafe-inline|unsafe-eval|https?:/, 'no inline code, no other host')
  const urls = [...page.body.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] as string)
  t.ok(urls.some((u) => u.endsWith('.js')) && urls.some((u) => u.endsWith('.css')), `scripts and styles: ${urls.join(', ')}`)
  t.notMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>\s*\S/, 'no inline script')
  for (const url of urls) {
    t.match(url, /^\/docs\/[^/]/, `${url} is served here`)
    const asset = await app.inject(url)
    t.equal(asset.statusCode, 200, `${url} answers`)
    if (url.endsWith('initializer.js')) {
      const code = asset.body.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n')
      t.notMatch(code, /https?:\/\//, 'the initializer names no other host')
      t.match(code, /validatorUrl: null/, 'and calls no validator')
    }
  }
})
