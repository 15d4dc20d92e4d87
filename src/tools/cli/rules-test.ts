// `npm run rules:test [dir]`: run the rule unit tests of <dir>/tests/*.test.yaml (like promtool test
// rules). Prints each test as ok or FAIL with an expected/got diff, lists rule files without tests and
// rules no test expects, and exits 1 on any failure or error.
import { basename, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadRules } from '../../4-evaluate/load-rules.js'
import { coverage, loadRuleTests, runRuleTests } from '../rule-tests/index.js'
import { formatError, rulesDir, type Output } from './rules-check.js'

export const USAGE = 'usage: minewatch rules test [dir]\n  runs the rule tests of dir/tests/*.test.yaml in virtual time (default dir: MINEWATCH_RULES_DIR, else rules/); exit 1 on a failure'

/** main runs the tests of the rules directory and returns the exit code. */
export async function main (argv: readonly string[], io: Output): Promise<number> {
  const dir = rulesDir(argv[0], io)
  const testsDir = join(dir, 'tests')
  const loaded = await loadRuleTests(testsDir, { rulesDir: dir })
  const { results, errors } = await runRuleTests(loaded.files)
  const allErrors = [...loaded.errors, ...errors]
  for (const e of allErrors) io.err(formatError(e))
  for (const r of results) {
    const where = `${shown(r.file)}:${r.line} ${r.name}`
    if (r.ok) io.out(`ok    ${where}`)
    else {
      io.out(`FAIL  ${where}`)
      io.out('      expected (-) vs got (+):')
      for (const d of r.diffs) io.out(`      ${d}`)
    }
    for (const w of r.warnings) io.out(`      warning: ${w}`)
  }
  const rules = await loadRules(dir)
  for (const e of rules.errors) io.err(formatError(e))
  const cov = coverage(rules.rules, rules.files, loaded.files)
  for (const f of cov.untestedFiles) io.out(`note: ${shown(f)} has no tests (expected ${shown(join(testsDir, basename(f).replace(/\.(ya?ml|json)$/, '.test.yaml')))})`)
  for (const id of cov.untestedRules) io.out(`note: rule ${id} appears in no expect`)
  const failed = results.filter((r) => !r.ok).length
  const errorCount = allErrors.length + rules.errors.length
  io.out(`${results.length - failed} passed, ${failed} failed, ${errorCount} error(s) (${loaded.files.length} test files in ${shown(testsDir)})`)
  return failed > 0 || errorCount > 0 || results.length === 0 ? 1 : 0
}

function shown (path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' || rel.startsWith('..') ? path : rel
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }
  process.exitCode = await main(process.argv.slice(2), io)
}
