// What a careless gateway or an attacker puts in a JSON body, as raw JSON text (so it can hold what JSON.stringify
// cannot write: 1e309 is read back as Infinity), and the mutations of a valid body that carry it: a field
// replaced, removed, or joined by an unknown one. FUZZ_RUNS sets the cases per property (npm test runs a bounded
// number; `npm run fuzz` a long run), FUZZ_SEED replays a failing run.
import fc from 'fast-check'

/** RUNS is the number of cases of each property. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 25)

/** fuzzOptions are fast-check's options for every property here. */
export function fuzzOptions (): fc.Parameters<unknown> {
  return { numRuns: RUNS, ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }) }
}

const numbers = fc.constantFrom('1e309', '-1e309', '1e308', '-1e308', '-0', '0', '1.5', '-1', '2147483647', '2147483648', '-2147483649',
  '9007199254740993', '9223372036854775808', '253402300800000', '8640000000000001', '1e-320', '0.1e1')

// JSON string escapes of what becomes trouble in storage or logs: NUL and other controls, line separators, lone
// surrogates, the ILP line protocol's own delimiters, SQL quotes, a path and markup
const nasty = fc.constantFrom('\\u0000', '\\u0001', '\\n', '\\r', '\\t', '\\u2028', '\\u2029', '\\ud800', '\\udfff', ',', ' ', '=', '\\"', '\\\\',
  "'", "' OR '1'='1", '../../etc/passwd', '<script>', '%00', '%2E', '*', '>', '.', '煤矿', '😀')

const strings = fc.oneof(
  fc.string({ maxLength: 80 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.array(nasty, { minLength: 1, maxLength: 6 }).map((parts) => `"${parts.join('')}"`),
  fc.constantFrom('""', '"2026-11-21T08:00:00+08:00"', '"2026-02-30T00:00:00Z"', '"+275760-09-13T00:00:00Z"', '"1969-12-31T23:59:59Z"',
    '"9999-12-31T23:59:59.999Z"', '"producing"', '"CO-1"', '"V01"', '"co"'),
  fc.integer({ min: 65, max: 70_000 }).map((n) => JSON.stringify('x'.repeat(n)))
)

const shapes = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '[]', '{}', '[null]', '[1e309]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.integer({ min: 1, max: 2000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 20_000 }).map((n) => '[' + Array(n).fill('0').join(',') + ']'),
  fc.json({ maxDepth: 3 })
)

/** hostile is one JSON value, as text, of any of the kinds above. */
export const hostile: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: numbers }, { weight: 3, arbitrary: strings }, { weight: 2, arbitrary: shapes })

/** Mutation is one change to a valid body: at `path` (a JSON pointer), the field is set, dropped, or joined by another. */
export type Mutation = { kind: 'set', path: string, value: string } | { kind: 'drop', path: string } | { kind: 'add', path: string, value: string }

/** mutation picks a change to one of `paths` (the fields of a valid body). */
export function mutation (paths: readonly string[]): fc.Arbitrary<Mutation> {
  const path = fc.constantFrom(...paths)
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), path, value: hostile }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), path }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), path: path.map((p) => p.replace(/\/[^/]+$/, '/unexpected')), value: hostile }) }
  )
}

const MARK = '"__FUZZ_VALUE__"'

/** apply writes `body` as JSON text with `m` applied. */
export function apply (body: unknown, m: Mutation): string {
  const copy = structuredClone(body) as Record<string, unknown>
  const keys = m.path.split('/').slice(1)
  const last = keys.pop() as string
  let parent: any = copy
  for (const k of keys) parent = parent[k]
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
    return JSON.stringify(copy)
  }
  parent[last] = '__FUZZ_VALUE__'
  return JSON.stringify(copy).replace(MARK, () => m.value)
}

/** related tells whether an error's path names the mutated field: the field itself, within it, or its item. */
export function related (errorPath: string, m: Mutation): boolean {
  const target = m.kind === 'drop' && /\/\d+$/.test(m.path) ? m.path.replace(/\/\d+$/, '') : m.path
  return errorPath === target || errorPath.startsWith(`${target}/`) || target.startsWith(`${errorPath}/`)
}
