// Grafana cannot run here, so every dashboard file (grafana/dashboards/*.json, whoever added it) is checked against
// the dashboard model of a published Grafana package: @grafana/schema, at the version of the Grafana that compose.yaml
// deploys. The package ships the model as TypeScript types only, so the check is a type check of each dashboard and of
// each panel's options against its panel plugin's model (test/helpers/grafana-model.ts says how).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { checkDashboardModels, modelVersion } from '../helpers/grafana-model.js'

const ROOT = join(import.meta.dirname, '../..')
const DASHBOARDS = join(ROOT, 'grafana/dashboards')
const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json')).sort().map((f) => join(DASHBOARDS, f))

t.test('dashboards model - @grafana/schema is the version of the Grafana compose.yaml runs', async (t) => {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, { image?: string }> }
  const image = compose.services.grafana?.image ?? ''
  const tag = /:(\d+\.\d+)\.\d+/.exec(image)?.[1]
  t.ok(tag !== undefined, `compose.yaml's grafana image has a version tag (${image})`)
  t.equal(modelVersion().split('.').slice(0, 2).join('.'), tag, `@grafana/schema ${modelVersion()} is the model of ${image}`)
})

t.test('dashboards model - every dashboard and every panel fits the @grafana/schema model', async (t) => {
  t.ok(files.length >= 3, `${files.length} dashboards`)
  const began = Date.now()
  const checks = checkDashboardModels(files)
  t.comment(`type-checked ${files.length} dashboards against @grafana/schema ${modelVersion()} in ${Date.now() - began} ms`)
  for (const c of checks) {
    t.same(c.errors, [], `${c.file.slice(DASHBOARDS.length + 1)}: the dashboard and its ${c.panels} panels fit the model`)
  }
})

t.test('dashboards model - the check finds what does not fit', async (t) => {
  // a dashboard with a misspelt option, a wrong type, a value outside an enum and an unknown panel type must fail,
  // or the check above proves nothing
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'minewatch-model-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify({
    title: '坏看板',
    uid: 'bad',
    graphTooltip: 7,
    panels: [
      { type: 'stat', title: '拼错', gridPos: { h: 4, w: 4, x: 0, y: 0 }, options: { colourMode: 'background' } },
      { type: 'timeseries', title: '类型错', gridPos: { h: 4, w: 4, x: 4, y: 0 }, options: { legend: { showLegend: 'yes' } } },
      { type: 'table', title: '枚举外', gridPos: { h: 4, w: 4, x: 8, y: 0 }, fieldConfig: { defaults: { thresholds: { mode: 'relative-ish', steps: [] } }, overrides: [] } },
      { type: 'no-such-panel', title: '未知', gridPos: { h: 4, w: 4, x: 12, y: 0 } }
    ]
  }))
  const [check] = checkDashboardModels([bad])
  const errors = check?.errors.join('\n') ?? ''
  t.match(errors, /graphTooltip|DashboardCursorSync|not assignable/, 'a number outside a numeric enum')
  t.match(errors, /panel "拼错".*colourMode/, 'a misspelt option')
  t.match(errors, /panel "类型错"/, 'a wrong option type')
  t.match(errors, /panel "枚举外".*relative-ish/s, 'a string outside a string enum')
  t.match(errors, /no @grafana\/schema model is mapped for panel type "no-such-panel"/, 'an unknown panel type')
})
