// Every rule module the engine runs, in evaluation order. A module listed here is known to the rule-file
// schema, `rules:check`, the rule tests and every engine; one line per module. The order is the order of the
// periodic checks and of a reading's changes across modules; the per-point kinds (point/: status bits, then
// thresholds, then no-data clears) come first, so that the modules that listen to changes (roll-ups) hear them.
import type { RuleModule } from '../module.js'
import { POINT } from './point/index.js'
import { ROLLUP } from './rollup/index.js'
import { ACCUMULATE } from './accumulate/index.js'
import { POWER } from './power/index.js'
import { PERSONNEL } from './personnel/index.js'
import { VIDEO } from './video/index.js'
import { TRENDS } from './trends/index.js'
import { QUALITY } from './quality/index.js'

/** MODULES are every rule module, in evaluation order. */
export const MODULES: readonly RuleModule[] = [
  POINT,
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
