// Fuzz - every query route, through inject, against a real QuestDB: hostile query parameters and path codes. For
// every case: never a 5xx; a 400 names the parameter it is about (/querystring/<name> or /params/<name>); a time
// given as epoch ms or RFC 3339 within 1970…9999 is always taken, and one outside that range never is.
import t from 'tap'
import fc from 'fast-check'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { MAX_EPOCH_MS } from '../../src/lib/time.js'
import { fuzzOptions, RUNS } from './hostile.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
const SITE = 'FQ-1'

async function get (url: string): Promise<{ status: number, body: any }> {
  const res = await app.inject({ method: 'GET', url, headers: auth('admin') })
  return { status: res.statusCode, body: res.json() }
}

await app.inject({ method: 'PUT', url: `/v1/sites/${SITE}`, headers: auth('admin'), payload: { name: SITE, kind: 'underground', status: 'producing' } })
await app.inject({ method: 'PUT', url: `/v1/sites/${SITE}/points`, headers: auth('admin'), payload: [{ pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600 }] })
await app.inject({ method: 'POST', url: '/v1/readings', headers: auth('admin'), payload: { siteCode: SITE, readings: [{ point: 'CO-1', ts: Date.now() - 60_000, value: 30 }] } })

/** The query routes and the parameters each takes. */
const ROUTES: Array<{ path: string, params: string[] }> = [
  { path: `/v1/sites/${SITE}/points/CO-1/readings`, params: ['from', 'to', 'limit'] },
  { path: `/v1/sites/${SITE}/points/CO-1/stats`, params: ['from', 'to', 'limit'] },
  { path: `/v1/sites/${SITE}/video/events`, params: ['from', 'to', 'limit'] },
  { path: '/v1/alarms', params: ['state', 'site', 'category', 'level', 'since', 'limit'] },
  { path: '/v1/risk', params: ['minLevel'] },
  { path: `/v1/sites/${SITE}/risk`, params: [] },
  { path: `/v1/sites/${SITE}/personnel`, params: [] },
  { path: '/v1/sites', params: [] },
  { path: `/v1/sites/${SITE}`, params: [] },
  { path: `/v1/sites/${SITE}/points`, params: [] },
  { path: `/v1/sites/${SITE}/video/channels`, params: [] },
  { path: '/v1/rules', params: [] }
]

const text = fc.oneof(
  fc.constantFrom('99999999999999999999', '253402300800000', '-1', '1e309', '1e3', '0x10', ' 5', '5 ', '+5', '1.5', '', 'NaN', 'Infinity',
    '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '2026-02-30T00:00:00Z', '1969-12-31T23:59:59Z', '2026-11-21T08:00:00',
    "x' OR '1'='1", '1; DROP TABLE readings', 'open', 'all', 'red', 'purple', 'over_limit', SITE, '*', '..', '%', '\u0000', '\u2028', '\ud800',
    // sent as they are, not encoded: bytes that are not UTF-8, and broken percent escapes
    'RAW:%ED%A0%80', 'RAW:%FF%FE', 'RAW:%', 'RAW:%zz', 'RAW:%00', 'RAW:a%2', 'RAW:&&&==', 'RAW:from=1&from=2'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 65, max: 5000 }).map((n) => 'x'.repeat(n))
)

const query = (names: readonly string[]): fc.Arbitrary<Array<[string, string]>> =>
  fc.array(fc.tuple(fc.constantFrom(...names, 'unexpected', 'from', 'limit'), text), { maxLength: 4 })

// encodeURIComponent cannot write a lone surrogate: such text goes as the UTF-8 of its replacement character
function encode (v: string): string {
  if (v.startsWith('RAW:')) return v.slice(4)
  try { return encodeURIComponent(v) } catch { return [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') }
}

const qs = (pairs: ReadonlyArray<readonly [string, string]>): string =>
  pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')

for (const route of ROUTES) {
  t.test(`fuzz - GET ${route.path}: never 5xx, a 400 names the parameter`, async (t) => {
    let cases = 0
    let refused = 0
    await fc.assert(fc.asyncProperty(query(route.params), async (pairs) => {
      const res = await get(route.path + qs(pairs))
      cases++
      if (res.status >= 500) throw new Error(`${route.path}${qs(pairs)} answered ${res.status}: ${JSON.stringify(res.body)}`)
      if (res.status === 400) {
        refused++
        // a raw value may bring parameters of its own (RAW:a=1&b=2): any key of the query as sent may be named
        const keys = qs(pairs).slice(1).split('&').map((p) => { try { return decodeURIComponent(p.split('=')[0] ?? '') } catch { return p } })
        const named = (res.body.details as Array<{ path: string }> | undefined)?.some((d) => keys.some((k) => d.path === `/querystring/${k}`))
        if (named !== true) throw new Error(`${route.path}${qs(pairs)}: 400 without naming a parameter: ${JSON.stringify(res.body)}`)
      } else if (res.status !== 200 && !(res.status === 404 && route.path.endsWith('/personnel'))) throw new Error(`${route.path}${qs(pairs)} answered ${res.status}: ${JSON.stringify(res.body)}`)
    }), fuzzOptions())
    t.equal(cases, RUNS)
    t.comment(`${route.path}: ${cases} cases, ${refused} refused`)
  })
}

t.test('fuzz - path codes: never 5xx; a malformed code is a 400 naming it, a well-formed unknown one a 404', async (t) => {
  const code = fc.oneof(text, fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/))
  await fc.assert(fc.asyncProperty(code, fc.constantFrom('', '/points', '/points/CO-1/readings', '/risk', '/personnel', '/video/channels'), async (c, rest) => {
    const url = `/v1/sites/${encode(c)}${rest}`
    const res = await get(url)
    if (res.status >= 500) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(res.body)}`)
    const wellFormed = /^[A-Za-z0-9_.-]{1,64}$/.test(c)
    if (!wellFormed && res.status === 200) throw new Error(`${url}: a malformed code was taken`)
    if (res.status === 400 && !(res.body.details as Array<{ path: string }>).some((d) => d.path.startsWith('/params/') || (res.body.error === 'MW_ERR_BAD_URL' && d.path === '/url'))) {
      throw new Error(`${url}: 400 without naming the code: ${JSON.stringify(res.body)}`)
    }
  }), fuzzOptions())
})

t.test('fuzz - a time within 1970…9999 is always taken, as epoch ms or RFC 3339; one outside never is', async (t) => {
  const url = `/v1/sites/${SITE}/points/CO-1/readings`
  const inside = fc.integer({ min: 0, max: MAX_EPOCH_MS })
  await fc.assert(fc.asyncProperty(inside, fc.boolean(), fc.constantFrom('from', 'to'), async (ms, iso, param) => {
    const value = iso ? new Date(ms).toISOString().replace('Z', '+00:00') : String(ms)
    const res = await get(`${url}?${param}=${encodeURIComponent(value)}`)
    if (res.status !== 200) throw new Error(`${param}=${value} answered ${res.status}: ${JSON.stringify(res.body)}`)
  }), fuzzOptions())
  const outside = fc.oneof(fc.bigInt({ min: BigInt(MAX_EPOCH_MS) + 1n, max: 10n ** 30n }).map(String), fc.integer({ min: 1, max: 8_640_000_000_000 }).map((n) => String(-n)))
  await fc.assert(fc.asyncProperty(outside, fc.constantFrom('from', 'to'), async (value, param) => {
    const res = await get(`${url}?${param}=${encodeURIComponent(value)}`)
    if (res.status !== 400 || res.body.details?.[0]?.path !== `/querystring/${param}`) throw new Error(`${param}=${value} answered ${res.status}: ${JSON.stringify(res.body)}`)
  }), fuzzOptions())
})
