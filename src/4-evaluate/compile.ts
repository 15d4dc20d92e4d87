// What outlives one binding of the rule set to the registry. Each rule module binds its own rules (see
// module.ts) whenever registry.version() or the rule set changes; condition state is kept by key here, so
// a rebind never forgets an open condition or a pending dwell.
import type { KeyState } from './compiled.js'
import { HealthBook } from './health.js'
import type { RuleDef } from './rule-file.js'
import type { RuleRef } from './types.js'
import type { Log } from '../lib/log.js'

/** CompileEnv is what outlives one binding: condition state and rule health. */
export interface CompileEnv {
  states: Map<string, KeyState>
  health: HealthBook
  /** engine start (epoch ms): the "last seen" of points that never reported */
  startTs: number
  /** the engine's clock, to date binding failures */
  now: () => number
  log?: Log
}

/** newCompileEnv returns an empty environment, for a first binding or a test. */
export function newCompileEnv (startTs = 0): CompileEnv {
  return { states: new Map(), health: new HealthBook(), startTs, now: () => startTs }
}

/** ruleRef is what every change and alarm records about its rule. */
export function ruleRef (r: RuleDef): RuleRef {
  return { ruleId: r.id, ruleVersion: r.ruleVersion, category: r.category, title: r.title, source: r.source, hazardClause: r.hazardClause ?? null }
}

/** pruneStates drops state nobody uses any more (not in `keys`), except open conditions. */
export function pruneStates (env: CompileEnv, keys: ReadonlySet<string>): void {
  // open conditions may be seeds waiting for their rule, or alarms whose point was removed: forgetting
  // them would lose the level they stand at
  for (const [key, s] of env.states) {
    if (s.level === null && !keys.has(key)) env.states.delete(key)
  }
}
