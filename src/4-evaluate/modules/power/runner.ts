// Each kind of the power module is a Runner; the module (index.ts) hands every callback to all three.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import type { EngineInput } from '../../inputs.js'
import type { ModuleContext } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'

/** Runner evaluates the rules of one kind of the module. */
export interface Runner {
  /** bind takes the rules of its kind and returns the condition keys it uses */
  bind: (rules: readonly RuleDef[], registry: RegistryView) => string[]
  readings?: (rows: readonly ReadingRow[], ctx: ModuleContext) => void
  input?: (input: EngineInput, ctx: ModuleContext) => void
  check?: (ctx: ModuleContext) => void
}
