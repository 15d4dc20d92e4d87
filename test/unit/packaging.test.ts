// The files users deploy with: Dockerfile, compose.yaml, Grafana provisioning and dashboards, Prometheus config.
// No Docker engine is needed: these tests read the files and check that they agree with each other and with the
// server (its entry point and its environment variables).
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { envSchema } from '../../src/server/config/schema.js'

const ROOT = join(import.meta.dirname, '../..')
const GRAFANA = join(ROOT, 'grafana')
const DASHBOARDS = join(GRAFANA, 'dashboards')
const DATASOURCES = join(GRAFANA, 'provisioning/datasources')
const BUILT_IN_DATASOURCES = new Set(['-- Grafana --', '-- Dashboard --', '-- Mixed --'])

type Json = Record<string, any>

function files (dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => ext.test(f)).sort().map((f) => join(dir, f))
}

function yamlFile (path: string): Json {
  return parse(readFileSync(path, 'utf8')) as Json
}

/** datasourceRefs yields every datasource reference of a dashboard: panels, their queries, variables, annotations. */
function * datasourceRefs (dashboard: Json): Generator<[string, Json]> {
  const panels: Json[] = (dashboard.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])])
  for (const p of panels) {
    if (p.datasource !== undefined) yield [`panel "${p.title}"`, p.datasource]
    for (const q of p.targets ?? []) if (q.datasource !== undefined) yield [`panel "${p.title}" query ${q.refId}`, q.datasource]
  }
  for (const v of dashboard.templating?.list ?? []) if (v.datasource !== undefined) yield [`variable ${v.name}`, v.datasource]
  for (const a of dashboard.annotations?.list ?? []) if (a.datasource !== undefined) yield [`annotation "${a.name}"`, a.datasource]
}

/** finalStage returns the lines of a Dockerfile's last stage, continuation lines joined. */
function finalStage (dockerfile: string): string[] {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  const from = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0)
  return lines.slice(from.at(-1))
}

/** instructionArgs turns the exec form (JSON array) or the shell form of an instruction into its words. */
function instructionArgs (line: string): string[] {
  const rest = line.replace(/^\S+\s+/, '')
  return rest.startsWith('[') ? JSON.parse(rest) as string[] : rest.split(/\s+/)
}

function environment (service: Json): Record<string, string> {
  const env = service.environment ?? {}
  if (!Array.isArray(env)) return env
  return Object.fromEntries(env.map((e: string) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]))
}

const datasources: Json[] = files(DATASOURCES, /\.ya?ml$/).flatMap((f) => yamlFile(f).datasources ?? [])
const datasourceUids = new Set(datasources.map((d) => d.uid as string))
const compose = yamlFile(join(ROOT, 'compose.yaml'))

t.test('packaging - every YAML file parses', async (t) => {
  const yamls = [join(ROOT, 'compose.yaml'), ...files(join(ROOT, 'deploy'), /\.ya?ml$/), ...files(GRAFANA, /\.ya?ml$/)]
  t.ok(yamls.length >= 5, 'compose, prometheus, datasources and dashboard provider')
  for (const f of yamls) {
    t.doesNotThrow(() => parse(readFileSync(f, 'utf8'), { uniqueKeys: true }), relative(ROOT, f))
  }
})

t.test('packaging - provisioned datasources have fixed, unique uids', async (t) => {
  t.ok(datasources.length > 0)
  for (const d of datasources) t.match(d, { name: String, type: String, uid: /^[A-Za-z0-9_-]{1,40}$/ }, d.name)
  t.equal(datasourceUids.size, datasources.length, 'no uid is provisioned twice')
  t.ok(datasourceUids.has('minewatch-questdb'))
  const questdb = datasources.find((d) => d.uid === 'minewatch-questdb') as Json
  t.match(questdb, {
    type: 'grafana-postgresql-datasource',
    url: 'questdb:8812',
    jsonData: { database: 'qdb', sslmode: 'disable', postgresVersion: 1200, timescaledb: false }
  })
})

t.test('packaging - every dashboard parses, has a uid and a title, and uses provisioned datasources only', async (t) => {
  const dashboards = files(DASHBOARDS, /\.json$/)
  t.ok(dashboards.length >= 3)
  const uids = new Set<string>()
  for (const f of dashboards) {
    const name = relative(ROOT, f)
    const d = JSON.parse(readFileSync(f, 'utf8')) as Json
    t.match(d, { uid: /^[A-Za-z0-9_-]{1,40}$/, title: /\p{Script=Han}/u }, `${name}: uid, and a Chinese title`)
    t.notOk(uids.has(d.uid), `${name}: uid ${d.uid} is unique`)
    uids.add(d.uid)
    t.equal(d.id, null, `${name}: no database id (Grafana assigns one)`)
    for (const p of d.panels as Json[]) {
      t.match(p.title, /\p{Script=Han}/u, `${name}: panel "${p.title}" has a Chinese title`)
      t.ok(p.gridPos.x + p.gridPos.w <= 24, `${name}: panel "${p.title}" fits the 24-column grid`)
    }
    const refs = [...datasourceRefs(d)].filter(([, ref]) => !BUILT_IN_DATASOURCES.has(ref.uid))
    const panels = (d.panels as Json[]).flatMap((p) => [p, ...(p.panels ?? [])])
    t.same(panels.filter((p) => p.datasource === undefined).map((p) => p.title), [], `${name}: every panel names its datasource`)
    t.ok(refs.length >= panels.length, `${name}: ${refs.length} datasource references to check`)
    t.same(refs.filter(([, ref]) => !datasourceUids.has(ref.uid)).map(([where, ref]) => `${where}: ${String(ref.uid)}`), [], `${name}: every datasource it uses is provisioned`)
  }
  t.ok(uids.has('minewatch-overview') && uids.has('minewatch-points') && uids.has('minewatch-ops'))
})

/** The tables and metrics the dashboards read, per dashboard file: a query the scan below fails to see shows up here. */
const DASHBOARD_TABLES: Record<string, string[]> = {
  'alarms.json': ['alarm_transitions', 'sites'],
  'gas-ventilation.json': ['alarm_transitions', 'points', 'readings', 'readings_5m', 'sites'],
  'kpi.json': ['kpi_daily', 'sites'],
  'operations.json': [],
  'overview.json': ['alarm_transitions', 'readings', 'site_status', 'sites'],
  'personnel.json': ['alarm_transitions', 'personnel_events', 'personnel_headcount', 'personnel_snapshots', 'sites'],
  'points.json': ['alarm_transitions', 'points', 'readings', 'readings_5m', 'sites'],
  'power.json': ['alarm_transitions', 'points', 'readings', 'readings_5m', 'site_status', 'sites'],
  'slope.json': ['alarm_transitions', 'points', 'readings', 'readings_5m', 'sites'],
  'tailings.json': ['alarm_transitions', 'points', 'readings', 'readings_5m', 'sites'],
  'video.json': ['alarm_transitions', 'sites', 'video_channels', 'video_events', 'video_heartbeats']
}
const DASHBOARD_METRICS: Record<string, string[]> = {
  'kpi.json': [],
  'operations.json': [
    'minewatch_alarm_outbox_pending', 'minewatch_alarm_persist_failures_total', 'minewatch_alarm_publish_duplicates_total',
    'minewatch_alarm_publish_failures_total', 'minewatch_alarm_published_total', 'minewatch_alarm_transitions_total', 'minewatch_alarms_open',
    'minewatch_engine_evaluations_total', 'minewatch_ingest_readings_accepted_total', 'minewatch_ingest_readings_rejected_total',
    'minewatch_ingest_to_publish_seconds', 'minewatch_nodejs_eventloop_lag_p99_seconds', 'minewatch_nodejs_heap_size_used_bytes',
    'minewatch_process_resident_memory_bytes', 'minewatch_store_flush_failures_total', 'minewatch_store_flush_seconds',
    'minewatch_store_pending_rows', 'minewatch_store_rows_written_total'
  ],
  'overview.json': ['minewatch_risk_sites'],
  'points.json': [],
  ...Object.fromEntries(['alarms.json', 'gas-ventilation.json', 'personnel.json', 'power.json', 'slope.json', 'tailings.json', 'video.json'].map((f) => [f, []]))
}

t.test('packaging - dashboards query only tables the migrations create and metrics the server registers', async (t) => {
  const migrations = files(join(ROOT, 'migrations'), /\.do\..*\.sql$/).map((f) => readFileSync(f, 'utf8')).join('\n')
  const tables = new Set([...migrations.matchAll(/CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1] as string))
  const sources = files(join(ROOT, 'src'), /\.ts$/).map((f) => readFileSync(f, 'utf8')).join('\n')
  const defaultMetricsPrefixed = /collectDefaultMetrics\(\{[^}]*prefix: 'minewatch_'/.test(sources)
  const usedTables: Record<string, string[]> = {}
  const usedMetrics: Record<string, string[]> = {}
  for (const f of files(DASHBOARDS, /\.json$/)) {
    const d = JSON.parse(readFileSync(f, 'utf8')) as Json
    const queries: Json[] = [
      ...(d.panels as Json[]).flatMap((p) => p.targets ?? []),
      ...(d.templating?.list ?? []),
      ...(d.annotations?.list ?? []).map((a: Json) => a.target ?? {})
    ]
    const texts = queries.map((q): string => q.rawSql ?? (typeof q.query === 'string' ? q.query : ''))
    const name = relative(DASHBOARDS, f)
    // the names a query gives its common table expressions (WITH p AS (…), s AS (…)) are not tables
    const ctes = new Set(texts.flatMap((text) => [...text.matchAll(/(?:\bWITH|,)\s*([a-z_][a-z0-9_]*)\s+AS\s*\(/gi)].map((m) => m[1] as string)))
    usedTables[name] = [...new Set(texts.flatMap((text) => [...text.matchAll(/\b(?:FROM|JOIN)\s+\(?\s*([a-z_][a-z0-9_]*)/gi)]
      .map((m) => m[1] as string).filter((table) => table.toUpperCase() !== 'SELECT' && !ctes.has(table))))].sort()
    usedMetrics[name] = [...new Set(queries.flatMap((q) => [...(q.expr as string | undefined ?? '').matchAll(/\bminewatch_[a-z0-9_]+/g)]
      .map((m) => m[0].replace(/_(bucket|sum|count)$/, ''))))].sort()
  }
  // what the scan found first, so that a scan finding nothing cannot pass for "everything is known"
  t.same(usedTables, DASHBOARD_TABLES, 'the tables each dashboard reads')
  t.same(usedMetrics, DASHBOARD_METRICS, 'the metrics each dashboard reads')
  const unknownTables = Object.entries(usedTables).flatMap(([f, ts]) => ts.filter((table) => !tables.has(table)).map((table) => `${f}: ${table}`))
  t.same(unknownTables, [], 'every table a dashboard reads is created by migrations/')
  const registered = (metric: string): boolean => /^minewatch_(nodejs|process)_/.test(metric) ? defaultMetricsPrefixed : sources.includes(`'${metric}'`)
  const unknownMetrics = Object.entries(usedMetrics).flatMap(([f, ms]) => ms.filter((m) => !registered(m)).map((m) => `${f}: ${m}`))
  t.same(unknownMetrics, [], 'every metric a dashboard reads is registered by src/')
})

t.test('packaging - the dashboard provider loads the folder compose mounts the dashboards on', async (t) => {
  const providers: Json[] = files(join(GRAFANA, 'provisioning/dashboards'), /\.ya?ml$/).flatMap((f) => yamlFile(f).providers ?? [])
  t.equal(providers.length, 1)
  const path = providers[0]?.options?.path as string
  t.ok((compose.services.grafana.volumes as string[]).includes(`./grafana/dashboards:${path}:ro`), `grafana mounts the dashboards on ${path}`)
  const home = environment(compose.services.grafana).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH
  t.ok(home !== undefined && home.startsWith(`${path}/`) && existsSync(join(DASHBOARDS, home.slice(path.length + 1))), 'the home dashboard exists')
})

t.test('packaging - the Dockerfile runs the compiled server as a non-root user', async (t) => {
  const stage = finalStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))
  const last = (instruction: string): string | undefined => stage.filter((l) => l.toUpperCase().startsWith(`${instruction} `)).at(-1)
  const cmd = last('CMD')
  t.ok(cmd !== undefined, 'the final stage has a CMD')
  t.same(instructionArgs(cmd as string), ['node', 'dist/src/main.js'])
  const user = last('USER')
  t.ok(user !== undefined && !/^USER\s+(root|0)(:|$)/i.test(user), 'the final stage switches to a non-root user')
  t.ok(last('HEALTHCHECK')?.includes('/health'), 'the healthcheck asks GET /health')
  for (const dir of ['dist', 'node_modules', 'schemas', 'rules', 'migrations']) {
    t.ok(stage.some((l) => new RegExp(`^COPY\\s+--from=\\S+\\s+\\S*/${dir}\\s`).test(l)), `the runtime copies ${dir}/`)
  }
  const main = readFileSync(join(ROOT, 'package.json'), 'utf8')
  t.equal(JSON.parse(main).scripts.start, 'node dist/src/main.js', 'the image starts the server the way npm start does')
})

t.test('packaging - compose gives minewatch its external QuestDB and NATS, with known variables only', async (t) => {
  const env = environment(compose.services.minewatch)
  t.match(env, { QDB_HTTP: 'http://questdb:9000', QDB_PG: /^postgres:\/\/admin:.+@questdb:8812\/qdb$/, NATS_URL: 'nats://nats:4222' })
  const known = new Set(Object.keys(envSchema.properties))
  for (const name of Object.keys(env)) t.ok(known.has(name), `${name} is a variable of src/server/config/schema.ts`)
  t.same(Object.keys(compose.services.minewatch.depends_on).sort(), ['nats', 'questdb'])
  for (const dep of ['questdb', 'nats']) {
    t.equal(compose.services.minewatch.depends_on[dep].condition, 'service_healthy', `minewatch waits for ${dep}`)
    t.ok(compose.services[dep].healthcheck !== undefined, `${dep} has a healthcheck`)
  }
})

t.test('packaging - every file compose mounts from the repository exists', async (t) => {
  const mounts = Object.entries(compose.services as Record<string, Json>).flatMap(([name, service]) =>
    ((service.volumes ?? []) as string[]).map((volume) => [name, volume.split(':')[0] as string] as const).filter(([, source]) => source.startsWith('./')))
  t.same(mounts.map(([name, source]) => `${name} ${source}`), [
    'prometheus ./deploy/prometheus.yml',
    'grafana ./grafana/provisioning/datasources',
    'grafana ./grafana/provisioning/dashboards',
    'grafana ./grafana/dashboards'
  ], 'the repository files compose mounts')
  t.same(mounts.filter(([, source]) => !existsSync(join(ROOT, source))).map(([name, source]) => `${name}: ${source}`), [], 'each of them exists')
  const prometheus = yamlFile(join(ROOT, 'deploy/prometheus.yml'))
  const targets = (prometheus.scrape_configs as Json[]).flatMap((s) => s.static_configs.flatMap((c: Json) => c.targets))
  t.ok(targets.includes('minewatch:8080'), 'Prometheus scrapes minewatch')
  const prom = datasources.filter((d) => d.type === 'prometheus')
  t.equal(prom.length, 1, 'one Prometheus datasource is provisioned')
  t.equal(prom[0]?.url, 'http://prometheus:9090', 'the Prometheus datasource points at the compose service')
})
