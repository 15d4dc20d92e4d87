// The per-point kinds, judged reading by reading on the hot path: device_status, threshold and no_data
// (their own folders here hold each kind's schema, binding and step). One module owns the three so that a
// reading costs one lookup of its point, and its changes come out in the order that reads right: the
// reading's fault first (status bits, over-range), then what its value means, then the silence it ends.
// A reading with a suppress bit (calibration, maintenance) is not judged by thresholds (DQ-2).
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import type { ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { PointTrack } from '../../steps/no-data.js'
import { PointIndex } from '../shared/point-index.js'
import { bindDevices, type DeviceInstance } from './device-status/bind.js'
import { DEVICE_STATUS_SCHEMA, runDevices } from './device-status/index.js'
import { bindSilences, type BoundSilences, type Watch } from './no-data/bind.js'
import { checkNoData, NO_DATA_SCHEMA, noteSeen } from './no-data/index.js'
import { bindThresholds, type ThresholdInstance } from './threshold/bind.js'
import { thresholdIssues } from './threshold/issues.js'
import { runThresholds } from './threshold/run.js'
import { THRESHOLD_SCHEMA } from './threshold/schema.js'

/** PointRules are the per-point rules bound to one point. */
interface PointRules {
  device: readonly DeviceInstance[]
  threshold: readonly ThresholdInstance[]
  watch: Watch | undefined
}

/** POINT is the rule module of the per-point kinds device_status, threshold and no_data. */
export const POINT: RuleModule = {
  name: 'point',
  kinds: { device_status: DEVICE_STATUS_SCHEMA, threshold: THRESHOLD_SCHEMA, no_data: NO_DATA_SCHEMA },
  issues: (rule, base) => rule.kind === 'threshold' ? thresholdIssues(rule, base) : [],
  create: createPointRules
}

function createPointRules ({ env, log }: ModuleEnv): RuleModuleInstance {
  let byPoint = new PointIndex<PointRules>()
  let silences: BoundSilences | null = null
  return {
    bind (rules: readonly RuleDef[], registry: RegistryView): Iterable<string> {
      const ofKind = (kind: string): RuleDef[] => rules.filter((r) => r.kind === kind)
      const devices = bindDevices(ofKind('device_status'), registry, env)
      const thresholds = bindThresholds(ofKind('threshold'), registry, env, log)
      silences = bindSilences(ofKind('no_data'), registry, env, silences?.tracks ?? new Map<string, PointTrack>())
      byPoint = new PointIndex()
      const at = (site: string, point: string): PointRules => {
        let pr = byPoint.get(site, point)
        if (pr === undefined) byPoint.set(site, point, pr = { device: [], threshold: [], watch: undefined })
        return pr
      }
      for (const [site, point, list] of devices.byPoint.entries()) at(site, point).device = list
      for (const [site, point, list] of thresholds.byPoint.entries()) at(site, point).threshold = list
      for (const [site, point, w] of silences.byPoint.entries()) at(site, point).watch = w
      return [...devices.keys, ...thresholds.keys, ...silences.keys]
    },
    reading (row: ReadingRow, ctx: ModuleContext): boolean {
      const pr = byPoint.get(row.site, row.point)
      if (pr === undefined) return false
      let skipped = pr.device.length > 0 && runDevices(pr.device, row, ctx)
      if (pr.threshold.length > 0) skipped = runThresholds(pr.threshold, row, ctx) || skipped
      if (pr.watch !== undefined) noteSeen(pr.watch, row, ctx)
      return skipped
    },
    check (ctx: ModuleContext): void {
      if (silences !== null) checkNoData(silences, ctx)
    }
  }
}
