// The shapes of rule unit tests: test files as written (the *Spec types, checked by ./schema.ts) and
// as loaded and run (RuleTestFile, RuleTestCase, RuleTestResult).
import type { Attributes, Category, Level, Limits, PointKind, Quantity, SiteKind, SiteStatus } from '../../contract/index.js'
import type { ReadingRow } from '../../contract/rows.js'
import type { Point, Site } from '../../registry/types.js'
import type { RuleFileError } from '../../4-evaluate/load-rules.js'
import type { EngineInput } from '../../4-evaluate/inputs.js'
import type { Channel, VideoEventType } from '../../1-ingest/video/types.js'

/** TestPointSpec is a point definition as written in a test file (the contract's PointDefinition). */
export interface TestPointSpec {
  pointCode: string
  quantity: Quantity
  unit: string
  kind: PointKind
  intervalS: number
  location?: string
  area?: string
  item?: string
  range?: [number, number]
  limits?: Limits
  attributes?: Attributes
}

/** TestSeriesSpec is one point's readings: `values` in the notation of parseValues, one per `every`. */
export interface TestSeriesSpec {
  point: string
  values: string
  /** spacing of the values (default: the point's intervalS) */
  every?: string
  /** virtual time of the first value (default 0s) */
  start?: string
}

/** TestPersonSpec is one person of a positioning snapshot as written (enteredAt in virtual time). */
export interface TestPersonSpec {
  card: string
  role: 'worker' | 'leader' | 'visitor'
  name?: string
  area?: string
  enteredAt?: string
}

/**
 * TestInputSpec is one non-reading input at virtual time `at`; exactly one of the other fields is given:
 * a site status change, a positioning snapshot (everyone underground), an SOS, an AI video event, or a
 * heartbeat (channel code → online).
 */
export interface TestInputSpec {
  at: string
  status?: SiteStatus
  personnel?: TestPersonSpec[]
  sos?: { card: string, area?: string }
  video?: { channel: string, type: VideoEventType, confidence?: number, count?: number, evidence?: { sha256?: string, url?: string } }
  heartbeat?: Record<string, boolean>
}

/** TestExpectSpec is one expected condition change; `point` (or `subject`) is absent for a site-wide condition. */
export interface TestExpectSpec {
  at: string
  rule: string
  point?: string
  /** the condition's subject when it is not a point, e.g. area:A3 or card:C0042 (the key's last part) */
  subject?: string
  level: Level | null
  /** checked when given; the rule's own category otherwise */
  category?: Category
  /** checked when given: whether the change carries the rule's hazardClause (重大事故隐患) */
  hazard?: boolean
}

/** TestCaseSpec is one test as written. */
export interface TestCaseSpec {
  name: string
  site: { code: string, kind: SiteKind, status?: SiteStatus, approvedHeadcount?: number, attributes?: Attributes }
  points?: TestPointSpec[]
  series?: TestSeriesSpec[]
  /** video channels of the site */
  channels?: Array<{ channelCode: string, name?: string }>
  /** personnel, video and site-status inputs */
  inputs?: TestInputSpec[]
  /** run the clock to this virtual time (default: the last reading) */
  until?: string
  /** period of the engine's no-data check (default: the file's, else 5s) */
  checkEvery?: string
  expect: TestExpectSpec[]
}

/** TestFileSpec is a whole test file as written. */
export interface TestFileSpec {
  rule_files: string[]
  checkEvery?: string
  tests: TestCaseSpec[]
}

/** Expected is one expected change, times resolved. */
export interface Expected {
  at: number
  rule: string
  /** point code, or the subject of a non-point condition; null for the site */
  point: string | null
  level: Level | null
  category?: Category
  hazard?: boolean
}

/** RuleTestCase is a test ready to run: registry content, readings in time order, expectations. */
export interface RuleTestCase {
  name: string
  line: number
  site: Site
  points: Point[]
  channels: Channel[]
  readings: ReadingRow[]
  /** non-reading inputs in time order */
  inputs: EngineInput[]
  untilMs: number
  checkMs: number
  expect: Expected[]
}

/** RuleTestFile is one loaded test file. */
export interface RuleTestFile {
  file: string
  /** absolute paths of the rule files under test */
  ruleFiles: string[]
  tests: RuleTestCase[]
}

/** RuleTestResult is the outcome of one test: `diffs` is the readable expected/got diff when it failed. */
export interface RuleTestResult {
  file: string
  /** line of the test's name in the file */
  line: number
  name: string
  ok: boolean
  diffs: string[]
  /** engine warnings and rule health failures seen during the run (do not fail the test by themselves) */
  warnings: string[]
}

/** LoadTestsResult is the loaded test files of a directory and the errors of the files left out. */
export interface LoadTestsResult {
  files: RuleTestFile[]
  errors: RuleFileError[]
}
