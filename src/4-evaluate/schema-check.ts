// Structural validation of a rule file against rule-file.schema.json, with ajv's errors rewritten as
// short messages that each name one JSON pointer (the caller turns pointers into line and column).
import type { ErrorObject, ValidateFunction } from 'ajv'
import { createAjv } from '../2-validate/ajv.js'
import ruleFileSchema from './rule-file.schema.json' with { type: 'json' }
import commonSchema from '../../schemas/common.json' with { type: 'json' }
import quantitiesSchema from '../../schemas/quantities.json' with { type: 'json' }
import { MODULES } from './modules/index.js'
import type { KindSchema } from './module.js'
import type { Issue } from './issue.js'

let validator: ValidateFunction | undefined

function compiled (): ValidateFunction {
  if (validator !== undefined) return validator
  // formats are not validated: the rule schema uses none, and common.json's date-time is irrelevant here
  validator = createAjv('document', [commonSchema, quantitiesSchema]).compile(ruleFileWithModules())
  return validator
}

const COMMON_FIELDS = ['id', 'kind', 'title', 'category', 'source', 'hazardClause', 'description', 'match']

interface RuleSchema { properties: { kind: { enum: string[] } }, allOf: unknown[] }

/** ruleFileWithModules is rule-file.schema.json with every module's kinds added, as `rules:check` sees it. */
export function ruleFileWithModules (): Record<string, unknown> {
  const schema = structuredClone(ruleFileSchema) as unknown as { definitions: { rule: RuleSchema } }
  const rule = schema.definitions.rule
  for (const m of MODULES) {
    for (const [kind, own] of Object.entries(m.kinds)) {
      rule.properties.kind.enum.push(kind)
      rule.allOf.push({ if: { properties: { kind: { const: kind } } }, then: kindSchema(own) })
    }
  }
  return schema as unknown as Record<string, unknown>
}

function kindSchema (own: KindSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = Object.fromEntries(COMMON_FIELDS.map((f) => [f, true]))
  Object.assign(properties, own.properties)
  return { type: 'object', required: own.required ?? [], additionalProperties: false, properties }
}

/** schemaIssues validates a parsed rule file and returns its structural issues (empty when valid). */
export function schemaIssues (data: unknown): Issue[] {
  const validate = compiled()
  if (validate(data)) return []
  const seen = new Set<string>()
  const issues: Issue[] = []
  for (const err of validate.errors ?? []) {
    // "if" only says that a "then" branch failed; the branch's own errors say why
    if (err.keyword === 'if') continue
    const issue = toIssue(err)
    const id = issue.path + '\u0000' + issue.message
    if (seen.has(id)) continue
    seen.add(id)
    issues.push(issue)
  }
  return issues
}

/** toIssue rewrites one ajv error as an Issue (also used by the rule-test loader). */
export function toIssue (err: ErrorObject): Issue {
  const p = err.params as Record<string, unknown>
  switch (err.keyword) {
    case 'required':
      return { path: `${err.instancePath}/${String(p.missingProperty)}`, message: `missing required property "${String(p.missingProperty)}"` }
    case 'additionalProperties':
      return { path: `${err.instancePath}/${String(p.additionalProperty)}`, message: `unknown property "${String(p.additionalProperty)}"`, atKey: true }
    case 'enum':
      return { path: err.instancePath, message: `must be one of: ${(p.allowedValues as unknown[]).join(', ')}` }
    case 'pattern':
      return { path: err.instancePath, message: `must match ${String(p.pattern)}` }
    default:
      return { path: err.instancePath, message: err.message ?? err.keyword }
  }
}
