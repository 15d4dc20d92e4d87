// A condition's state lives in the engine's CompileEnv by key, so it outlives rebinds and restarts seeded
// from open alarms. (compile.ts has its own stateFor, which also records the key as in use.)
import { newKeyState, type KeyState } from '../../compiled.js'
import type { CompileEnv } from '../../compile.js'

/** stateOf returns the state of condition `key`, creating an empty one (level null) when there is none. */
export function stateOf (env: CompileEnv, key: string): KeyState {
  let s = env.states.get(key)
  if (s === undefined) env.states.set(key, s = newKeyState())
  return s
}
