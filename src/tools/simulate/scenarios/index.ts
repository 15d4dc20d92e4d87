// The scenario registry: every scripted incident by name (one file each), and how several run together.
// `npm run simulate -- --scenario co-leak,sos --at 10m` and MINEWATCH_DEMO_SCENARIO pick from here.
import { coFire } from './co-fire.js'
import { coLeak } from './co-leak.js'
import { fanStop } from './fan-stop.js'
import { frozenSensor } from './frozen-sensor.js'
import { gatewayOutage } from './gateway-outage.js'
import { overcrowding } from './overcrowding.js'
import { phreaticRise } from './phreatic-rise.js'
import { slopeFailure } from './slope-failure.js'
import { sos } from './sos.js'
import { suspensionProduction } from './suspension-production.js'
import type { Scenario, ScenarioContext, ScenarioDef, ScenarioResult } from './types.js'

export type * from './types.js'

/** SCENARIOS lists every scenario by name. */
export const SCENARIOS: ReadonlyMap<string, ScenarioDef> = new Map(
  [coLeak, fanStop, slopeFailure, phreaticRise, overcrowding, suspensionProduction, frozenSensor, gatewayOutage, sos, coFire].map((d) => [d.name, d])
)

/** parseScenarioNames splits "co-leak,sos" and checks every name; throws naming the unknown ones. */
export function parseScenarioNames (list: string): string[] {
  return checkScenarioNames(list.split(',').map((n) => n.trim()).filter((n) => n !== ''))
}

/** checkScenarioNames returns the names once each, in order; throws naming the unknown ones, or when there are none. */
export function checkScenarioNames (names: readonly string[]): string[] {
  const unknown = names.filter((n) => !SCENARIOS.has(n))
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`unknown scenario ${unknown.length > 0 ? unknown.map((n) => `"${n}"`).join(', ') : '(none given)'}; known: ${[...SCENARIOS.keys()].join(', ')}`)
  }
  return [...new Set(names)]
}

/** createScenario builds the named scenarios, all starting at ctx.at, as one scenario. */
export function createScenario (names: readonly string[], ctx: ScenarioContext): Scenario {
  const parts = names.map((n) => {
    const def = SCENARIOS.get(n)
    if (def === undefined) throw new Error(`unknown scenario "${n}"`)
    return def.create(ctx)
  })
  return parts.length === 1 ? parts[0] as Scenario : combine(parts)
}

/** combine runs scenarios together: the first override that speaks wins, people pass through each, events merge. */
export function combine (parts: readonly Scenario[]): Scenario {
  return {
    name: parts.map((p) => p.name).join(','),
    override: (s) => {
      for (const p of parts) {
        const r: ScenarioResult = p.override?.(s)
        if (r !== undefined) return r
      }
      return undefined
    },
    people: (site, ts, clean) => {
      let out: typeof clean | undefined
      for (const p of parts) out = p.people?.(site, ts, out ?? clean) ?? out
      return out
    },
    events: (site, from, to) => parts.flatMap((p) => p.events?.(site, from, to) ?? []).sort((a, b) => a.ts - b.ts),
    offline: (site, sim) => parts.some((p) => p.offline?.(site, sim) === true)
  }
}
