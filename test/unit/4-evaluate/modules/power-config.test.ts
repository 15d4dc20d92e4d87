// The power module's rule fields as `rules:check` sees them: schema errors and semantic issues, each at
// its JSON path, and the defaults of a rule that gives only the required fields.
import t from 'tap'
import { parseRuleFile } from '../../../../src/4-evaluate/load-rules.js'
import { fanConfig, silenceConfig, suspensionConfig } from '../../../../src/4-evaluate/modules/power/config.js'

const head = (id: string, kind: string): string => `
      - id: ${id}
        kind: ${kind}
        title: t
        category: fault
        source: s`

function errorsOf (rules: string): string[] {
  return parseRuleFile('p.yaml', `groups:\n  - name: g\n    rules:${rules}\n`).errors.map((e) => `${e.path} ${e.message}`)
}

t.test('power rules - the module\'s kinds load with their defaults', async (t) => {
  const { rules, errors } = parseRuleFile('p.yaml', `groups:\n  - name: g\n    rules:${head('a', 'power_suspension')}\n        for: 30m\n        level: orange${head('b', 'fan_power_conflict')}\n        for: 2m${head('c', 'site_silent_producing')}\n        silentFor: 5m\n        escalateAfter: 1h\n`)
  t.same(errors, [])
  const [a, b, c] = rules.map((r) => r.def)
  if (a === undefined || b === undefined || c === undefined) throw new Error('rules missing')
  t.match(suspensionConfig(a), { statuses: ['suspended', 'maintenance'], equipment: ['hoist'], windowMs: 15 * 60_000, forMs: 30 * 60_000, redAfterMs: null, night: null, loadFraction: 0.6 })
  t.same(fanConfig(b), { forMs: 120_000, maxAgeMs: 180_000, idleFraction: 0.1, runningFraction: 0.3, noPowerLevel: 'orange', poweredLevel: 'yellow' })
  t.same(silenceConfig(c), { silentForMs: 300_000, escalateAfterMs: 3_600_000, missedPeriods: 3, level: 'red' })
})

t.test('power rules - bad fields are reported at their path', async (t) => {
  t.same(errorsOf(`${head('a', 'power_suspension')}\n        for: 10m\n        redAfter: 5m\n        level: orange\n        match: { quantity: [co] }`), [
    '/groups/0/rules/0/for for (10m) must be at least one window (15 min)',
    '/groups/0/rules/0/redAfter redAfter must be longer than for',
    '/groups/0/rules/0/match/quantity power_suspension rules take only match.siteKind (meters are found by attributes.equipment)'
  ], 'in the order of the file')
  t.same(errorsOf(`${head('a', 'power_suspension')}\n        for: 15 m\n        level: orange\n        night: { factor: 1.3, nights: 2, from: 6, to: 6 }`), [
    '/groups/0/rules/0/for must match ^\\d+(\\.\\d+)?(ms|s|m|h|d)$'
  ], 'a duration with a space is a schema error, before any semantic check')
  t.same(errorsOf(`${head('a', 'power_suspension')}\n        for: 15m\n        level: orange\n        night: { factor: 1.3, nights: 2, from: 6, to: 6 }`), [
    '/groups/0/rules/0/night/to the night must not be empty (from equals to)'
  ])
  t.same(errorsOf(`${head('b', 'fan_power_conflict')}\n        for: 2m\n        idleFraction: 0.5\n        runningFraction: 0.3\n        colour: red`), [
    '/groups/0/rules/0/colour unknown property "colour"'
  ])
  t.same(errorsOf(`${head('b', 'fan_power_conflict')}\n        for: 2m\n        idleFraction: 0.5\n        runningFraction: 0.3`), [
    '/groups/0/rules/0/idleFraction idleFraction 0.5 must be below runningFraction 0.3'
  ])
  t.same(errorsOf(`${head('c', 'site_silent_producing')}\n        silentFor: 1h\n        escalateAfter: 5m`), [
    '/groups/0/rules/0/escalateAfter escalateAfter must be longer than silentFor'
  ])
})
