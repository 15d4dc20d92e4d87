import { basename, join } from 'node:path'
import t from 'tap'
import { loadRules, parseRuleFile } from '../../../src/4-evaluate/load-rules.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/rules')

t.test('engine - load-rules reads YAML and JSON files and versions each rule', async (t) => {
  const { rules, errors, files } = await loadRules(join(FIXTURES, 'valid'))
  t.same(errors, [])
  t.same(files.map((f) => basename(f)), ['device.json', 'gas.yaml'], 'README.md is not a rule file')
  t.same(rules.map((r) => [r.id, r.group, basename(r.file)]), [
    ['device.calibration', 'device', 'device.json'],
    ['gas.co.limit', 'gas', 'gas.yaml'],
    ['connectivity.site.no_data', 'connectivity', 'gas.yaml']
  ])
  for (const r of rules) t.match(r.ruleVersion, /^[0-9a-f]{12}$/)
  const co = rules.find((r) => r.id === 'gas.co.limit')
  t.match(co, { kind: 'threshold', direction: 'upper', for: '10s', levels: { yellow: { at: 24, release: 20 } } })
})

t.test('engine - ruleVersion ignores formatting and key order but not content', async (t) => {
  const a = parseRuleFile('a.yaml', 'groups: [{ name: g, rules: [{ id: r, kind: device_status, title: T, category: fault, source: s, bits: [4], level: blue }] }]')
  const b = parseRuleFile('b.json', '{"groups":[{"name":"g","rules":[{"level":"blue","bits":[4],"source":"s","category":"fault","title":"T","kind":"device_status","id":"r"}]}]}')
  const c = parseRuleFile('c.yaml', 'groups: [{ name: g, rules: [{ id: r, kind: device_status, title: T, category: fault, source: s, bits: [4], level: yellow }] }]')
  t.equal(a.rules[0]?.def.ruleVersion, b.rules[0]?.def.ruleVersion)
  t.not(a.rules[0]?.def.ruleVersion, c.rules[0]?.def.ruleVersion)
})

t.test('engine - load-rules reports every error of every file with line, column and JSON pointer', async (t) => {
  const { rules, errors } = await loadRules(join(FIXTURES, 'invalid'))
  t.same(rules, [], 'no rules come from files with errors')
  t.same(errors.map((e) => [basename(e.file), e.line, e.column, e.path, e.message]), [
    ['a-schema.yaml', 11, 9, '/groups/0/rules/1/source', 'missing required property "source"'],
    ['a-schema.yaml', 15, 20, '/groups/0/rules/1/direction', 'must be one of: upper, lower'],
    ['a-schema.yaml', 17, 22, '/groups/0/rules/1/levels/red/at', 'must be number'],
    ['a-schema.yaml', 18, 11, '/groups/0/rules/1/levels/purple', 'unknown property "purple"'],
    ['a-schema.yaml', 19, 9, '/groups/0/rules/1/colour', 'unknown property "colour"'],
    ['a-schema.yaml', 20, 9, '/groups/0/rules/2/missedPeriods', 'missing required property "missedPeriods"'],
    ['a-schema.yaml', 20, 13, '/groups/0/rules/2/id', 'must match ^[a-z0-9_.-]+$'],
    ['b-semantic.yaml', 10, 14, '/groups/0/rules/0/for', 'invalid duration "soon" (use e.g. 30s, 5m, 2h)'],
    ['b-semantic.yaml', 12, 38, '/groups/0/rules/0/levels/yellow/release', 'release 24 must be below at 24 for an upper rule'],
    ['b-semantic.yaml', 13, 22, '/groups/0/rules/0/levels/red/at', 'at 20 must be above yellow\'s at 24 for an upper rule'],
    ['b-semantic.yaml', 14, 19, '/groups/0/rules/0/cutLevel', 'names level "orange", which this rule does not define'],
    ['b-semantic.yaml', 21, 14, '/groups/0/rules/1/for', 'duration "10" needs a unit (ms, s, m, h, d)'],
    ['b-semantic.yaml', 23, 38, '/groups/0/rules/1/levels/yellow/release', 'release 19 must be above at 20 for a lower rule'],
    ['b-semantic.yaml', 24, 22, '/groups/0/rules/1/levels/red/at', 'at 21 must be below yellow\'s at 20 for a lower rule'],
    ['b-semantic.yaml', 25, 13, '/groups/0/rules/2/id', `duplicate rule id "dup.rule" (first defined at ${join(FIXTURES, 'invalid', 'a-schema.yaml')}:4:13)`],
    ['c-syntax.yaml', 7, 9, '', 'Flow map in block collection must be sufficiently indented and end with a }'],
    ['d-json.json', 7, 20, '/groups/0/rules/0/bits/0', 'must be one of: 1, 2, 4, 8, 16, 32, 64, 128']
  ])
})

t.test('engine - load-rules reports a YAML syntax error with its position', async (t) => {
  const { rules, errors } = parseRuleFile('x.yaml', 'groups:\n  - name: a\n    rules:\n      - id: "unterminated\n')
  t.same(rules, [])
  t.same(errors, [{ file: 'x.yaml', line: 5, column: 1, path: '', message: 'Missing closing "quote' }])
  const dup = parseRuleFile('d.yaml', 'groups: []\ngroups: []\n')
  t.match(dup.errors, [{ line: 2, column: 1, message: /unique/ }], 'duplicate keys are syntax errors, not a silent override')
})

t.test('engine - load-rules points a missing or empty file at its root', async (t) => {
  t.match(parseRuleFile('e.yaml', '').errors, [{ line: 1, column: 1, path: '', message: 'must be object' }])
  t.match(parseRuleFile('g.yaml', 'groups:\n  - name: g\n').errors, [{ line: 2, column: 5, path: '/groups/0/rules', message: 'missing required property "rules"' }],
    'a missing property is located at its nearest existing ancestor')
})

t.test('engine - load-rules treats a missing or empty directory as an error', async (t) => {
  const missing = await loadRules(join(FIXTURES, 'nope'))
  t.match(missing.errors, [{ path: '', message: /cannot read rules directory/ }])
  const dir = t.testdir({ 'notes.txt': 'x' })
  const empty = await loadRules(dir)
  t.match(empty.errors, [{ message: 'no rule files (*.yaml, *.yml, *.json)' }], 'no rules would mean no alarms: never silently accepted')
})

t.test('engine - a rule file\'s numbers are finite: YAML .inf, -.inf and .nan are refused where a number is due', async (t) => {
  const text = [
    'groups:',
    '  - name: g',
    '    rules:',
    '      - { id: r.inf, kind: threshold, title: T, category: over_limit, source: s, hazardClause: null,',
    '          match: { quantity: [co] }, direction: upper, for: 0s, alarmLevel: yellow,',
    '          levels: { yellow: { at: .inf, release: -.inf }, red: { at: .nan, release: 1 } } }'
  ].join('\n')
  const { rules, errors } = parseRuleFile('inf.yaml', text)
  t.same(rules, [])
  t.same(errors.map((e) => [e.path, e.message]), [
    ['/groups/0/rules/0/levels/yellow/at', 'must be number'],
    ['/groups/0/rules/0/levels/yellow/release', 'must be number'],
    ['/groups/0/rules/0/levels/red/at', 'must be number']
  ])
})
