// The demo feed's scenarios (npm start): MINEWATCH_DEMO_SCENARIO names them (co-leak,sos),
// MINEWATCH_DEMO_SCENARIO_AT says when they start after the feed does (default 5m).
import type { Fleet } from '../fleet/index.js'
import { DEFAULT_SEED } from '../signals.js'
import { createScenario, parseOffset, parseScenarioNames } from './index.js'
import type { Scenario } from './types.js'

/** demoScenario is the scenario the environment asks for, undefined for none; throws on a bad name or offset. */
export function demoScenario (env: Readonly<Record<string, string | undefined>>, fleet: Fleet, now: number, seed = DEFAULT_SEED): Scenario | undefined {
  const names = env.MINEWATCH_DEMO_SCENARIO
  if (names === undefined || names.trim() === '') return undefined
  const at = now + parseOffset(env.MINEWATCH_DEMO_SCENARIO_AT ?? '5m')
  return createScenario(parseScenarioNames(names), { at, fleet, seed })
}
