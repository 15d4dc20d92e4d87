// Worst-case validation cost per write route (issue 7): bodies at and past the item limit, the most expensive
// shapes a careless gateway or an attacker can send, through the real app (real QuestDB and NATS). For each body:
// status, response size, wall time, and the longest the event loop was held (monitorEventLoopDelay max), which
// is what every other request waits behind. `npm run bench:validation`; BENCH_ITEMS overrides the item count.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout } from 'node:timers'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/server/config/load.js'
import { parseTokens } from '../src/server/auth/tokens.js'
import { defaultCacheDir, startQuestDb } from '../src/tools/embedded/questdb.js'
import { startNats } from '../src/tools/embedded/nats.js'

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000)
// BENCH_OVER=0 leaves out the bodies ten times over the limit (minutes each before issue 7's fix).
const OVER = process.env.BENCH_OVER !== '0'
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5)
const ADMIN = 'bench-validation-admin-token-0123456789'
const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }

interface Case { route: string, body: string, method: 'POST' | 'PUT', url: string, payload: string, items: number }

function list (n: number, item: (i: number) => string): string {
  return '[' + Array.from({ length: n }, (_, i) => item(i)).join(',') + ']'
}

function cases (now: number): Case[] {
  const empty = (): string => '{}'
  const badValue = (i: number): string => `{"point":"P${i}","ts":${now},"value":1e309}`
  const reading = (i: number): string => `{"point":"P${i % 100}","ts":${now - i},"value":${i % 50}}`
  const point = (i: number): string => `{"pointCode":"B${i}","quantity":"co","unit":"ppm","kind":"analog","intervalS":60}`
  const person = (i: number): string => `{"card":"C${i}","role":"worker","area":"A${i % 20}"}`
  const channel = (i: number): string => `{"channelCode":"V${i}","online":true}`
  const event = (i: number): string => `{"channel":"V${i % 4}","ts":${now - i},"type":"no_helmet","confidence":0.9}`
  const out: Case[] = []
  const add = (route: string, method: 'POST' | 'PUT', url: string, wrap: (items: string) => string): void => {
    const shapes: Array<[string, number, () => string]> = [['n × {}', ITEMS, empty]]
    if (OVER) shapes.push(['n × {}, 10× the limit', ITEMS * 10, empty])
    for (const [body, n, item] of shapes) out.push({ route, body, method, url, payload: wrap(list(n, item)), items: n })
  }
  add('POST /v1/readings', 'POST', '/v1/readings', (l) => `{"siteCode":"BENCH","readings":${l}}`)
  out.push({ route: 'POST /v1/readings', body: 'n × value 1e309', method: 'POST', url: '/v1/readings', payload: `{"siteCode":"BENCH","readings":${list(ITEMS, badValue)}}`, items: ITEMS })
  out.push({ route: 'POST /v1/readings', body: 'n × valid', method: 'POST', url: '/v1/readings', payload: `{"siteCode":"BENCH","readings":${list(ITEMS, reading)}}`, items: ITEMS })
  add('PUT /v1/sites/{s}/points', 'PUT', '/v1/sites/BENCH2/points', (l) => l)
  out.push({ route: 'PUT /v1/sites/{s}/points', body: 'n × valid', method: 'PUT', url: '/v1/sites/BENCH2/points', payload: list(ITEMS, point), items: ITEMS })
  add('POST /v1/sites/{s}/personnel', 'POST', '/v1/sites/BENCH/personnel', (l) => `{"ts":${now},"people":${l}}`)
  out.push({ route: 'POST /v1/sites/{s}/personnel', body: 'n × valid', method: 'POST', url: '/v1/sites/BENCH/personnel', payload: `{"ts":${now},"people":${list(ITEMS, person)}}`, items: ITEMS })
  add('PUT /v1/sites/{s}/video/channels', 'PUT', '/v1/sites/BENCH2/video/channels', (l) => l)
  add('POST /v1/video/heartbeats', 'POST', '/v1/video/heartbeats', (l) => `{"siteCode":"BENCH","ts":${now},"channels":${l}}`)
  out.push({ route: 'POST /v1/video/heartbeats', body: 'n × unknown channel', method: 'POST', url: '/v1/video/heartbeats', payload: `{"siteCode":"BENCH","ts":${now},"channels":${list(ITEMS, channel)}}`, items: ITEMS })
  add('POST /v1/video/events', 'POST', '/v1/video/events', (l) => `{"siteCode":"BENCH","events":${l}}`)
  out.push({ route: 'POST /v1/video/events', body: 'n × valid', method: 'POST', url: '/v1/video/events', payload: `{"siteCode":"BENCH","events":${list(ITEMS, event)}}`, items: ITEMS })
  return out
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'minewatch-bench-validation-'))
  const qdb = await startQuestDb({ version: process.env.QDB_VERSION ?? '9.3.4', root: join(dir, 'questdb'), cacheDir: defaultCacheDir() })
  const nats = await startNats({ storeDir: join(dir, 'nats') })
  try {
    const config = loadConfig({ LOG_LEVEL: 'silent', MINEWATCH_DATA_DIR: join(dir, 'data'), QDB_HTTP: qdb.httpUrl, QDB_PG: qdb.pgUrl, NATS_URL: nats.url, MINEWATCH_DEMO: 'false' })
    const tokens = parseTokens(JSON.stringify([{ token: ADMIN, role: 'admin', sites: ['*'] }]), 'bench')
    const app = await buildApp({ config, questdb: { httpUrl: qdb.httpUrl, pgUrl: qdb.pgUrl }, nats: { url: nats.url }, tokens, logger: false })
    await app.ready()
    await setUp(app)
    const rows: string[] = []
    const histogram = monitorEventLoopDelay({ resolution: 1 })
    histogram.enable()
    // BENCH_ONLY=text keeps the bodies whose route or description contains it (for a profile of one case)
    for (const c of cases(Date.now()).filter((x) => `${x.route} ${x.body}`.includes(process.env.BENCH_ONLY ?? ''))) {
      const stalls: number[] = []
      const walls: number[] = []
      let status = 0
      let answer = 0
      for (let i = 0; i < REPEATS; i++) {
        await quiet(app)
        histogram.reset()
        const started = performance.now()
        const res = await app.inject({ method: c.method, url: c.url, headers, payload: c.payload })
        walls.push(performance.now() - started)
        // the loop-delay sampler records a stall only when its timer finally runs: let it run before reading
        await new Promise((resolve) => setTimeout(resolve, 20))
        stalls.push(histogram.max / 1e6)
        status = res.statusCode
        answer = res.body.length
      }
      const stall = median(stalls)
      rows.push(`| ${c.route} | ${c.body.replace('n', String(c.items))} | ${(c.payload.length / 1024).toFixed(0)} KiB | ${status} | ${(answer / 1024).toFixed(1)} KiB | ${median(walls).toFixed(0)} | ${stall.toFixed(0)} / ${Math.max(...stalls).toFixed(0)} | ${(stall / (c.items / 1000)).toFixed(2)} |`)
    }
    histogram.disable()
    console.log(`${REPEATS} runs of each body; medians, and the worst run's stall`)
    console.log('| route | body | size | status | answer | wall ms | longest event-loop stall ms, median / worst | median stall ms per 1,000 items |')
    console.log('|---|---|---|---|---|---|---|---|')
    for (const r of rows) console.log(r)
    await app.close()
  } finally {
    await nats.stop()
    await qdb.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

// Before each request: nothing of the previous one left to write, and the rule engine's work on it done.
async function quiet (app: Awaited<ReturnType<typeof buildApp>>): Promise<void> {
  await app.questdb.writer.flush()
  await app.questdb.eventWriter.flush()
  await new Promise((resolve) => setTimeout(resolve, 250))
}

async function setUp (app: Awaited<ReturnType<typeof buildApp>>): Promise<void> {
  for (const site of ['BENCH', 'BENCH2']) {
    await app.inject({ method: 'PUT', url: `/v1/sites/${site}`, headers, payload: { name: site, kind: 'underground', status: 'producing' } })
  }
  const points = Array.from({ length: 100 }, (_, i) => ({ pointCode: `P${i}`, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 }))
  await app.inject({ method: 'PUT', url: '/v1/sites/BENCH/points', headers, payload: points })
  const channels = Array.from({ length: 4 }, (_, i) => ({ channelCode: `V${i}`, name: `V${i}` }))
  await app.inject({ method: 'PUT', url: '/v1/sites/BENCH/video/channels', headers, payload: channels })
}

await main()
