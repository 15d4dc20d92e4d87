// Every rule module the engine runs, in evaluation order. A module listed here is known to the rule-file
// schema, `rules:check`, the rule tests and every engine; one line per module.
import type { RuleModule } from '../module.js'
import { ROLLUP } from './rollup/index.js'
import { ACCUMULATE } from './accumulate/index.js'
import { POWER } from './power/index.js'
import { PERSONNEL } from './personnel/index.js'
import { VIDEO } from './video/index.js'
import { TRENDS } from './trends/index.js'
import { QUALITY } from './quality/index.js'

/** MODULES are the rule modules beyond the core kinds. */
export const MODULES: readonly RuleModule[] = [
  ROLLUP,
  ACCUMULATE,
  POWER,
  PERSONNEL,
  VIDEO,
  TRENDS,
  QUALITY
]

/** moduleOfKind finds the module that owns a rule kind. */
export function moduleOfKind (kind: string): RuleModule | undefined {
  return MODULES.find((m) => Object.hasOwn(m.kinds, kind))
}
