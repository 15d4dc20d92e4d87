// The demo feed's scenarios (npm start), as the configuration gives them: MINEWATCH_DEMO_SCENARIO names them
// (co-leak,sos), MINEWATCH_DEMO_SCENARIO_AT says when they start after the feed does (server/config/load.ts, default 5m).
import type { DemoScenario } from '../../../server/config/load.js'
import type { Fleet } from '../fleet/index.js'
import { DEFAULT_SEED } from '../signals.js'
import { checkScenarioNames, createScenario } from './index.js'
import type { Scenario } from './types.js'

/** demoScenario is the configured scenario starting `atMs` after `now`, undefined for none; throws on an unknown name. */
export function demoScenario (choice: DemoScenario | undefined, fleet: Fleet, now: number, seed = DEFAULT_SEED): Scenario | undefined {
  if (choice === undefined) return undefined
  return createScenario(checkScenarioNames(choice.names), { at: now + choice.atMs, fleet, seed })
}
