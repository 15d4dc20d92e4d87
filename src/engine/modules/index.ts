// Every rule module the engine runs, in evaluation order. A module listed here is known to the rule-file
// schema, `rules:check`, the rule tests and every engine; one line per module.
import type { RuleModule } from '../module.js'

/** MODULES are the rule modules beyond the core kinds. */
export const MODULES: readonly RuleModule[] = []

/** moduleOfKind finds the module that owns a rule kind. */
export function moduleOfKind (kind: string): RuleModule | undefined {
  return MODULES.find((m) => Object.hasOwn(m.kinds, kind))
}
