// The HTTP API as integration tests drive it: one call shape over app.inject or over a real server (fetch),
// and the two steps most tests start with: register a site with CO points, post readings.
import type { FastifyInstance } from 'fastify'
import { auth, TOKENS } from './app.js'

/** Role is one of the test tokens' roles. */
export type Role = keyof typeof TOKENS

/** Answer is an API response: status and parsed JSON body (undefined when empty). */
export interface Answer { status: number, body: any }

/** Call sends one authenticated API request, wherever the server is. */
export type Call = (method: 'GET' | 'POST' | 'PUT', url: string, role: Role, payload?: unknown) => Promise<Answer>

/** Reading is one reading as POST /v1/readings takes it. */
export interface Reading { point: string, ts: number, value: number, status?: number }

/** ApiTap is the part of a tap Test the helpers below assert with. */
export interface ApiTap {
  equal: { (found: unknown, wanted: unknown): boolean, (found: unknown, wanted: unknown, message: string): boolean }
  same: (found: unknown, wanted: unknown, message: string) => boolean
  fail: (message: string, extra: Record<string, unknown>) => boolean
}

/** call sends one authenticated request to `app` through app.inject. */
export async function call (app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, role: Role, payload?: unknown): Promise<Answer> {
  const res = await app.inject({ method, url, headers: auth(role), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json() }
}

/** injectCall is a Call to `app` through app.inject. */
export function injectCall (app: FastifyInstance): Call {
  return async (method, url, role, payload) => await call(app, method, url, role, payload)
}

/** fetchCall is a Call over HTTP to the server at `baseUrl()` (read on every call, so the server may be replaced). */
export function fetchCall (baseUrl: () => string): Call {
  return async (method, url, role, payload) => {
    const res = await fetch(baseUrl() + url, {
      method,
      headers: { ...auth(role), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) })
    })
    const text = await res.text()
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) }
  }
}

/** SiteOptions tunes registerCoSite: the points' intervalS (default 60), and whether the assertions carry names. */
export interface SiteOptions { intervalS?: number, named?: boolean }

/** registerCoSite registers an underground site named after its code with analog CO points, asserting both PUTs answer 200. */
export async function registerCoSite (t: ApiTap, api: Call, site: string, codes: string[], { intervalS = 60, named = true }: SiteOptions = {}): Promise<void> {
  const siteStatus = (await api('PUT', `/v1/sites/${site}`, 'admin', { name: site, kind: 'underground', status: 'producing' })).status
  if (named) t.equal(siteStatus, 200, `site ${site}`)
  else t.equal(siteStatus, 200)
  const points = codes.map((pointCode) => ({ pointCode, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS, range: [0, 1000] }))
  const pointsStatus = (await api('PUT', `/v1/sites/${site}/points`, 'admin', points)).status
  if (named) t.equal(pointsStatus, 200, `points ${codes.join(', ')}`)
  else t.equal(pointsStatus, 200)
}

/** postReadings posts readings of one site and asserts they were all accepted (one named assertion per batch). */
export async function postReadings (t: ApiTap, api: Call, site: string, readings: Reading[]): Promise<void> {
  const res = await api('POST', '/v1/readings', 'gateway', { siteCode: site, readings })
  t.same([res.status, res.body?.accepted], [200, readings.length], `${readings.map((r) => `${r.point}=${r.value}`).join(', ')} accepted`)
}

/** sendReadings posts readings of one site and fails the test only if they were not all accepted (no assertion otherwise). */
export async function sendReadings (t: ApiTap, api: Call, site: string, readings: Reading[]): Promise<void> {
  const res = await api('POST', '/v1/readings', 'gateway', { siteCode: site, readings })
  if (res.status !== 200 || res.body.accepted !== readings.length) t.fail('readings not accepted', { res })
}
