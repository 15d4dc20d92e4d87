// Per-rule health, like Prometheus' rules page: an evaluation that throws is recorded here and the
// stream goes on. Health stays 'err' until the rule's content changes (a new ruleVersion), because a
// rule that fails on one point out of a hundred must not look healthy 99 % of the time.
import type { RuleDef } from './rule-file.js'
import type { RuleHealth } from './types.js'
import type { HealthRecord } from './compiled.js'

/** HealthBook keeps one HealthRecord per rule id, shared by all the rule's instances. */
export class HealthBook {
  private readonly records = new Map<string, HealthRecord>()

  /** sync keeps the records of unchanged rules, starts fresh ones for new or changed rules, drops the rest. */
  sync (rules: readonly RuleDef[]): void {
    const ids = new Set<string>()
    for (const r of rules) {
      ids.add(r.id)
      if (this.records.get(r.id)?.ruleVersion === r.ruleVersion) continue
      this.records.set(r.id, { ruleId: r.id, ruleVersion: r.ruleVersion, health: 'unknown', evaluations: 0, failures: 0 })
    }
    for (const id of this.records.keys()) if (!ids.has(id)) this.records.delete(id)
  }

  /** get returns the rule's record (creating an 'unknown' one for a rule not synced yet). */
  get (rule: RuleDef): HealthRecord {
    let rec = this.records.get(rule.id)
    if (rec === undefined) {
      rec = { ruleId: rule.id, ruleVersion: rule.ruleVersion, health: 'unknown', evaluations: 0, failures: 0 }
      this.records.set(rule.id, rec)
    }
    return rec
  }

  /** list returns a copy of every record, ordered by rule id. */
  list (): RuleHealth[] {
    return [...this.records.values()].map((r) => ({ ...r })).sort((a, b) => a.ruleId.localeCompare(b.ruleId))
  }
}

/** recordSuccess counts an evaluation that completed. */
export function recordSuccess (h: HealthRecord): void {
  h.evaluations++
  if (h.health === 'unknown') h.health = 'ok'
}

/** recordFailure counts an evaluation (or, with `evaluation` false, a binding) that threw and keeps its error. */
export function recordFailure (h: HealthRecord, err: unknown, now: number, evaluation = true): void {
  if (evaluation) h.evaluations++
  h.failures++
  h.health = 'err'
  h.lastError = err instanceof Error ? err.message : String(err)
  h.lastErrorAt = now
}
