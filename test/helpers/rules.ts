// Rule folders for integration tests: the CO threshold rule (parameterised by its dwell) next to the
// project's connectivity and device rules, and the engine settings the alarm tests run with.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestLike } from './services.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** ENGINE_ENV is a 200 ms no-data check, data late after 60 s, and the cron rule reload moved out of the way. */
export const ENGINE_ENV = Object.freeze({ MINEWATCH_OFFLINE_CHECK_MS: '200', MINEWATCH_LATE_AFTER_S: '60', MINEWATCH_RULES_RELOAD_CRON: '0 0 1 1 *' })

/** tempDir makes a fresh directory under the OS temp dir, removed on the test's teardown. */
export async function tempDir (t: TestLike, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** coRule is the gas.co.limit threshold rule (yellow 24/20, orange 50/45, red 160/140) with the dwell `dwell`. */
export function coRule (dwell: string): string {
  return `groups:
  - name: gas
    rules:
      - id: gas.co.limit
        kind: threshold
        title: CO 超限
        category: over_limit
        source: configurable default (integration test)
        hazardClause: null
        match: { quantity: [co], siteKind: [underground, coal_mine] }
        direction: upper
        for: ${dwell}
        levels:
          yellow: { at: 24, release: 20 }
          orange: { at: 50, release: 45 }
          red: { at: 160, release: 140 }
        alarmLevel: yellow
`
}

/** coRulesDir writes a rules folder (a temp dir named `prefix`…) holding coRule(dwell) and the project's connectivity and device rules. */
export async function coRulesDir (t: TestLike, prefix: string, dwell: string): Promise<string> {
  const dir = await tempDir(t, prefix)
  await writeFile(join(dir, 'gas.yaml'), coRule(dwell))
  await copyFile(join(ROOT, 'rules', 'connectivity.yaml'), join(dir, 'connectivity.yaml'))
  await copyFile(join(ROOT, 'rules', 'device.yaml'), join(dir, 'device.yaml'))
  return dir
}
