// Test-file durations ("20s", "1m30s", "500ms"): lib/duration.ts read the way the test schema allows.
import { parseDuration } from '../../lib/duration.js'

/** durationMs reads a test-file duration as milliseconds; a bare number has no unit to go by and is refused. */
export function durationMs (text: string): number {
  return parseDuration(text, { bare: 'reject' })
}
