// Which rule ids are roll-ups (kind `rollup`, e.g. tailings.rollup.item / .site), read from the engine's loaded
// rule set rather than guessed from the id: a roll-up alarm restates its members, so the score must know it.
import type { RuleDef } from '../../4-evaluate/rule-file.js'

/**
 * rollupRuleIds returns a reader of the current roll-up rule ids. The rule set changes on reload, so `rules`
 * is read on every call; the set is rebuilt only when the engine replaced its rule list.
 */
export function rollupRuleIds (rules: () => ReadonlyArray<Pick<RuleDef, 'id' | 'kind'>>): () => ReadonlySet<string> {
  let seen: ReadonlyArray<Pick<RuleDef, 'id' | 'kind'>> | undefined
  let ids: ReadonlySet<string> = new Set()
  return () => {
    const now = rules()
    if (now !== seen) {
      seen = now
      ids = new Set(now.filter((r) => r.kind === 'rollup').map((r) => r.id))
    }
    return ids
  }
}
