// Rule unit tests, the way `promtool test rules` tests Prometheus rules: each rule file has a test file
// (rules/tests/<name>.test.yaml) of cases that feed readings to a real engine in virtual time and list
// every condition change it must emit, at what time and level. Nothing here reads the wall clock: the
// engine runs on an RxJS TestScheduler that the runner moves from reading to reading.
// load.ts reads and checks test files (schema.ts), series.ts and duration.ts (over lib/duration.ts) parse their notation,
// run.ts runs them (diff.ts reports failures) and coverage.ts finds untested rule files and rules.
export { coverage, type Coverage } from './coverage.js'
export { durationMs } from './duration.js'
export { loadRuleTests, parseRuleTestFile } from './load.js'
export { loadRuleFiles, runRuleTest, runRuleTests } from './run.js'
export { parseValues, type Slot } from './series.js'
export type {
  Expected,
  LoadTestsResult,
  RuleTestCase,
  RuleTestFile,
  RuleTestResult,
  TestCaseSpec,
  TestExpectSpec,
  TestFileSpec,
  TestPointSpec,
  TestSeriesSpec
} from './types.js'
