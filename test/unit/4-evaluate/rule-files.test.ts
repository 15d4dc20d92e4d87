import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import t from 'tap'
import { main } from '../../../src/tools/cli/rules-test.js'
import { loadRules } from '../../../src/4-evaluate/load-rules.js'
import { formatDuration } from '../../../src/lib/duration.js'
import { coverage, durationMs, loadRuleTests, parseRuleTestFile, parseValues, runRuleTests } from '../../../src/tools/rule-tests/index.js'

const RULES = join(import.meta.dirname, '../../../rules')
const FIXTURES = join(import.meta.dirname, '../../fixtures/rule-tests')

t.test('rules - every rule file has test cases and they pass', async (t) => {
  const rules = await loadRules(RULES)
  t.same(rules.errors, [])
  t.same(rules.files.filter((f) => f.includes('/tests/')), [], 'rules/tests/ is not read as rule files')
  t.ok(['connectivity.yaml', 'device.yaml', 'gas.yaml'].every((f) => rules.files.map((x) => basename(x)).includes(f)), 'the core rule files load')
  const tests = await loadRuleTests(join(RULES, 'tests'))
  t.same(tests.errors, [])
  const testFiles = (await readdir(join(RULES, 'tests'))).filter((n) => n.endsWith('.test.yaml')).sort()
  t.same(testFiles, rules.files.map((f) => basename(f).replace(/\.ya?ml$/, '.test.yaml')).sort(), 'one tests file per rule file')
  const cov = coverage(rules.rules, rules.files, tests.files)
  t.same(cov, { untestedFiles: [], untestedRules: [] }, 'every rule id appears in at least one expect')
  const { results, errors } = await runRuleTests(tests.files)
  t.same(errors, [])
  t.ok(results.length >= rules.rules.length, `${results.length} tests`)
  for (const r of results) t.ok(r.ok, `${basename(r.file)}: ${r.name}`, { diff: r.diffs.join('\n') })
  t.same(results.flatMap((r) => r.warnings), [], 'no engine warnings')
})

t.test('rules - a wrong expectation fails with a readable diff', async (t) => {
  const tests = await loadRuleTests(FIXTURES, { rulesDir: RULES })
  t.same(tests.errors, [])
  const { results, errors } = await runRuleTests(tests.files)
  t.same(errors, [])
  t.same(results.map((r) => [r.name, r.ok]), [
    ['wrong - CO red expected at 30 ppm, and the clear is missing', false],
    ['right - CO yellow at 30 ppm, cleared at 15', true]
  ])
  t.same(results[0]?.diffs, [
    '- at 20s  gas.co.limit  CO-1  red  over_limit',
    '+ at 20s  gas.co.limit  CO-1  yellow  over_limit    # CO-1 CO 30 ppm ≥ 24 ppm，黄色',
    '+ at 40s  gas.co.limit  CO-1  cleared  over_limit    # CO-1 CO 15 ppm < 20 ppm，已解除'
  ])
})

t.test('rules - a hazard clause is checked where an expectation names it', async (t) => {
  const text = (orange: boolean): string => `
rule_files: [tailings.yaml]
tests:
  - name: phreatic
    site: { code: TP1, kind: tailings_pond }
    points: [{ pointCode: PZ-1, quantity: phreatic_depth, unit: m, kind: analog, intervalS: 600, attributes: { controlDepthM: 5 } }]
    series: [{ point: PZ-1, values: "5.5 4.9" }]
    expect:
      - { at: 0s, rule: tailings.phreatic.depth, point: PZ-1, level: orange, hazard: ${String(orange)} }
      - { at: 10m, rule: tailings.phreatic.depth, point: PZ-1, level: red, hazard: true }
`
  const run = async (orange: boolean): Promise<{ ok?: boolean, diffs?: string[] }> => {
    const parsed = parseRuleTestFile('hazard.test.yaml', text(orange), RULES)
    t.same(parsed.errors, [])
    return (await runRuleTests(parsed.file === null ? [] : [parsed.file])).results[0] ?? {}
  }
  t.equal((await run(false)).ok, true, 'orange carries no clause, red does')
  const wrong = await run(true)
  t.equal(wrong.ok, false)
  t.same(wrong.diffs?.map((d) => d.replace(/ +# .*/, '')), [
    '- at 0s  tailings.phreatic.depth  PZ-1  orange  over_limit  hazard: true',
    '+ at 0s  tailings.phreatic.depth  PZ-1  orange  over_limit  hazard: false'
  ])
})

t.test('rules - a test expecting an unknown rule fails', async (t) => {
  const text = `
rule_files: [gas.yaml]
tests:
  - name: typo
    site: { code: T1, kind: underground }
    points: [{ pointCode: CO-1, quantity: co, unit: ppm, kind: analog, intervalS: 20 }]
    series: []
    expect: [{ at: 0s, rule: gas.c0.limit, point: CO-1, level: yellow }]
`
  const parsed = parseRuleTestFile('typo.test.yaml', text, RULES)
  t.same(parsed.errors, [])
  const { results } = await runRuleTests(parsed.file === null ? [] : [parsed.file])
  t.equal(results[0]?.ok, false)
  t.match(results[0]?.diffs[0], /unknown rule "gas\.c0\.limit"/)
})

t.test('rules - test files are validated with file, line and JSON pointer', async (t) => {
  const text = `rule_files: [gas.yaml]
tests:
  - name: broken
    site: { code: T1, kind: underground }
    points:
      - { pointCode: CO-1, quantity: co, unit: ppm, kind: analog, intervalS: 20 }
    series:
      - { point: CO-9, values: "1 2" }
      - { point: CO-1, values: "1 2+" }
    expect:
      - { at: 20 s, rule: gas.co.limit, level: purple }
    extra: 1
`
  const { file, errors } = parseRuleTestFile('broken.test.yaml', text, RULES)
  t.equal(file, null)
  t.same(errors.map((e) => [e.line, e.path, e.message]), [
    [11, '/tests/0/expect/0/at', 'must match ^(?=\\d)(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$'],
    [11, '/tests/0/expect/0/level', 'must be one of: blue, yellow, orange, red'],
    [11, '/tests/0/expect/0/level', 'must be null'],
    [12, '/tests/0/extra', 'unknown property "extra"']
  ])
  const second = parseRuleTestFile('broken.test.yaml', text.replace('20 s', '20s').replace('purple', 'red').replace('    extra: 1\n', ''), RULES)
  t.same(second.errors.map((e) => [e.line, e.path, e.message]), [
    [8, '/tests/0/series/0/point', 'unknown point "CO-9" (not in this test\'s points)'],
    [9, '/tests/0/series/1/values', 'bad value "2+" (use 30, 30@4, _, _x3, 10+5x3)']
  ])
})

t.test('rules - series notation and durations', async (t) => {
  t.same(parseValues('10 30@4 _ _x2 10+5x3 1x2 170-10x1@8'), [
    { value: 10, status: 0 }, { value: 30, status: 4 }, null, null, null,
    { value: 10, status: 0 }, { value: 15, status: 0 }, { value: 20, status: 0 }, { value: 25, status: 0 },
    { value: 1, status: 0 }, { value: 1, status: 0 }, { value: 1, status: 0 },
    { value: 170, status: 8 }, { value: 160, status: 8 }
  ])
  t.same(parseValues('0.1+0.1x2'), [{ value: 0.1, status: 0 }, { value: 0.2, status: 0 }, { value: 0.3, status: 0 }], 'no float drift')
  t.throws(() => parseValues('1+2'), /needs a count/)
  t.equal(durationMs('1m20s'), 80_000)
  t.equal(durationMs('1h5m'), 3_900_000)
  t.equal(durationMs('500ms'), 500)
  t.equal(durationMs('0s'), 0)
  t.equal(formatDuration(80_000), '1m20s')
  t.equal(formatDuration(0), '0s')
  t.equal(formatDuration(1500), '1500ms')
})

t.test('rules - npm run rules:test prints ok and FAIL with the diff and exits 1 on a failure', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rules-test-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'tests'))
  await copyFile(join(RULES, 'gas.yaml'), join(dir, 'gas.yaml'))
  await copyFile(join(FIXTURES, 'wrong.test.yaml'), join(dir, 'tests', 'gas.test.yaml'))
  const out: string[] = []
  const err: string[] = []
  const code = await main([dir], { out: (l) => out.push(l), err: (l) => err.push(l) })
  t.equal(code, 1)
  t.same(err, [])
  t.match(out.join('\n'), /^FAIL .*gas\.test\.yaml:5 wrong - CO red expected at 30 ppm/m)
  t.match(out.join('\n'), /^ {6}- at 20s {2}gas\.co\.limit {2}CO-1 {2}red {2}over_limit$/m)
  t.match(out.join('\n'), /^ok .*gas\.test\.yaml:14 right - CO yellow/m)
  t.match(out.at(-1), /^1 passed, 1 failed, 0 error\(s\)/)

  await copyFile(join(RULES, 'tests', 'gas.test.yaml'), join(dir, 'tests', 'gas.test.yaml'))
  out.length = 0
  t.equal(await main([dir], { out: (l) => out.push(l), err: (l) => err.push(l) }), 0, 'the real gas tests pass')
  t.same(err, [])
})
