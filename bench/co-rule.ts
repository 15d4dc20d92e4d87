// What the latency probes must do to raise a CO alarm under the rules the server runs: read them with the
// server's own loader rather than hard-coding the dwell, so a rule change cannot silently break the probes.
import { loadRules } from '../src/4-evaluate/load-rules.js'
import { isCoreRule, type ThresholdRuleDef } from '../src/4-evaluate/rule-file.js'
import { parseDuration } from '../src/lib/duration.js'

/** CoRule is the probe-relevant part of the CO threshold rules for underground mines. */
export interface CoRule { ids: string[], dwellMs: number, alarmAt: number, release: number }

/** coRule finds the CO upper-threshold rules that apply to underground sites; throws if there is none. */
export async function coRule (rulesDir: string): Promise<CoRule> {
  const { rules, errors } = await loadRules(rulesDir)
  if (errors.length > 0) throw new Error(`rules in ${rulesDir} have errors; run npm run rules:check`)
  const co = rules.filter((r): r is ThresholdRuleDef => isCoreRule(r) && r.kind === 'threshold').filter((r) =>
    r.direction === 'upper' &&
    (r.match?.quantity?.includes('co') ?? true) &&
    (r.match?.siteKind?.includes('underground') ?? true) &&
    r.match?.points === undefined)
  if (co.length === 0) throw new Error(`no CO threshold rule for underground mines in ${rulesDir}`)
  // The lowest level raises first; the probe must dwell as long as the slowest of the matching rules.
  const bands = co.flatMap((r) => Object.values(r.levels))
  const lowest = bands.reduce((a, b) => (b.at < a.at ? b : a))
  return {
    ids: co.map((r) => r.id),
    dwellMs: Math.max(...co.map((r) => parseDuration(r.for ?? '0s', { bare: 'ms' }))),
    alarmAt: lowest.at,
    release: lowest.release
  }
}
