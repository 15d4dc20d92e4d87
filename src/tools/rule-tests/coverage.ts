// Rule test coverage: rule files without a test file, rules no test expects a change of.
import { resolve } from 'node:path'
import type { RuleDef } from '../../4-evaluate/rule-file.js'
import type { RuleTestFile } from './types.js'

/** Coverage lists rule files without a test file and rule ids no test expects a change of. */
export interface Coverage {
  untestedFiles: string[]
  untestedRules: string[]
}

/** coverage compares the rule files of `rulesDir` (and their rules) with the loaded test files. */
export function coverage (rules: readonly RuleDef[], ruleFiles: readonly string[], tests: readonly RuleTestFile[]): Coverage {
  const tested = new Set(tests.flatMap((t) => t.ruleFiles.map((f) => resolve(f))))
  const expected = new Set(tests.flatMap((t) => t.tests.flatMap((c) => c.expect.map((e) => e.rule))))
  return {
    untestedFiles: ruleFiles.filter((f) => !tested.has(resolve(f))),
    untestedRules: rules.map((r) => r.id).filter((id) => !expected.has(id))
  }
}
