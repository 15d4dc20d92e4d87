// The non-reading inputs of a rule test (site status changes, positioning snapshots, SOS, AI video
// events, heartbeats), resolved into what the engine consumes, in virtual time.
import type { StatusChange } from '../../registry/types.js'
import { inputTs, type EngineInput } from '../../4-evaluate/inputs.js'
import type { Issue } from '../../4-evaluate/issue.js'
import { durationMs } from './duration.js'
import type { TestInputSpec } from './types.js'

/** ResolvedInputs are a test's inputs: engine inputs in time order and the site's status timeline. */
export interface ResolvedInputs {
  inputs: EngineInput[]
  timeline: StatusChange[]
}

/** resolveInputs turns a test's `inputs` into engine inputs; `initial` is the site's status at 0s. */
export function resolveInputs (site: string, specs: readonly TestInputSpec[], initial: StatusChange['status'], base: string, issues: Issue[], channels: ReadonlySet<string>): ResolvedInputs {
  const inputs: EngineInput[] = []
  const timeline: StatusChange[] = []
  for (const [j, spec] of specs.entries()) {
    const ts = durationMs(spec.at)
    const path = `${base}/inputs/${j}`
    if (spec.status !== undefined) timeline.push({ since: ts, status: spec.status })
    if (spec.personnel !== undefined) {
      const people = spec.personnel.map((p) => ({
        card: p.card, role: p.role, ...(p.name === undefined ? {} : { name: p.name }), ...(p.area === undefined ? {} : { area: p.area }), ...(p.enteredAt === undefined ? {} : { enteredAt: durationMs(p.enteredAt) })
      }))
      const snapshot = { site, ts, headcount: people.length, leaders: people.filter((p) => p.role === 'leader').length, people }
      inputs.push({ type: 'personnel', snapshot, receivedAt: ts })
    }
    if (spec.sos !== undefined) {
      inputs.push({ type: 'sos', event: { site, type: 'sos', card: spec.sos.card, ...(spec.sos.area === undefined ? {} : { area: spec.sos.area }), ts, receivedAt: ts } })
    }
    if (spec.video !== undefined) {
      const v = spec.video
      if (!channels.has(v.channel)) issues.push({ path: `${path}/video/channel`, message: `unknown channel "${v.channel}" (not in this test's channels)` })
      inputs.push({
        type: 'video_event',
        event: {
          site,
          channel: v.channel,
          type: v.type,
          ts,
          receivedAt: ts,
          ...(v.confidence === undefined ? {} : { confidence: v.confidence }),
          ...(v.count === undefined ? {} : { count: v.count }),
          ...(v.evidence?.sha256 === undefined ? {} : { evidenceSha256: v.evidence.sha256 }),
          ...(v.evidence?.url === undefined ? {} : { evidenceUrl: v.evidence.url })
        }
      })
    }
    for (const [channel, online] of Object.entries(spec.heartbeat ?? {})) {
      if (!channels.has(channel)) issues.push({ path: `${path}/heartbeat/${channel}`, message: `unknown channel "${channel}" (not in this test's channels)`, atKey: true })
      inputs.push({ type: 'video_heartbeat', heartbeat: { site, channel, online, ts, receivedAt: ts } })
    }
  }
  inputs.sort((a, b) => inputTs(a) - inputTs(b))
  timeline.sort((a, b) => a.since - b.since)
  // the status before the first change is the site's own: statusAt reads the earliest entry otherwise
  if (timeline.length > 0 && (timeline[0] as StatusChange).since > 0) timeline.unshift({ since: 0, status: initial })
  return { inputs, timeline }
}
