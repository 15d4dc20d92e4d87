// Chinese texts of the power module for the duty room, e.g.
// "杏山铁矿（SG-XS）停产整顿期间用电疑似生产（明停暗开）：总负荷 4400 kW，为生产期水平 4380 kW 的 100%（≥ 60%）；
// 提升机功率 2100 kW，占总负荷 48%（生产期 48%），已持续 30 分钟".
import type { SiteStatus } from '../../../contract/index.js'
import type { Point, Site } from '../../../registry/types.js'
import { durationZh, num, pointHead, siteHead } from '../../messages.js'
import type { Profile, Reference, Verdict } from './baseline.js'
import { equipmentZh } from './meters.js'

/** STATUS_ZH names site statuses. */
export const STATUS_ZH: Readonly<Record<SiteStatus, string>> = Object.freeze({
  producing: '生产', suspended: '停产整顿', maintenance: '检修', closed: '关闭'
})

const pct = (x: number): string => `${Math.round(x * 100)}%`
const kw = (x: number): string => `${num(Math.round(x * 10) / 10)} kW`
const REF_ZH = { learned: '生产期', declared: '申报生产期', rated: '额定折算' } as const

/** NightText is what the message says about a night-peak pattern. */
export interface NightText { from: number, to: number, nightKw: number, dayKw: number, streak: number }

/** suspicionMessage words a PW-1 raise or escalation. */
export function suspicionMessage (site: Site, status: SiteStatus, p: Profile, ref: Reference, v: Verdict, equipment: readonly string[], loadFraction: number, heldMs: number, night: NightText | null): string {
  const parts = [`总负荷 ${kw(p.loadKw)}，为${REF_ZH[ref.source]}水平 ${kw(ref.loadKw)} 的 ${pct(p.loadKw / ref.loadKw)}${v.load ? `（≥ ${pct(loadFraction)}）` : ''}`]
  if (p.prodKw !== null && v.shareNow !== null) {
    const was = ref.share === null ? '' : `（${REF_ZH[ref.source]} ${pct(ref.share)}）`
    parts.push(`${equipmentZh(equipment)}功率 ${kw(p.prodKw)}，占总负荷 ${pct(v.shareNow)}${was}`)
  }
  if (night !== null) {
    const hh = (h: number): string => `${String(h).padStart(2, '0')}:00`
    parts.push(`夜间（${hh(night.from)}–${hh(night.to)}）平均负荷 ${kw(night.nightKw)}，为白天 ${kw(night.dayKw)} 的 ${pct(night.nightKw / night.dayKw)}，已连续 ${night.streak} 夜`)
  }
  return `${siteHead(site)}${STATUS_ZH[status]}期间用电疑似生产（明停暗开）：${parts.join('；')}${heldMs > 0 ? `，已持续 ${durationZh(heldMs)}` : ''}`
}

/** suspicionEndMessage words a PW-1 clear: the site is producing again, or its power fell back. */
export function suspicionEndMessage (site: Site, status: SiteStatus | undefined, p: Profile | null): string {
  if (status === 'producing') return `${siteHead(site)}停产期间用电疑似生产已解除：矿山已恢复生产状态`
  return `${siteHead(site)}停产期间用电疑似生产已解除：总负荷降至 ${p === null ? '—' : kw(p.loadKw)}`
}

/** fanConflictMessage words a PW-2 conflict between a fan's on/off point and its feeder's power. */
export function fanConflictMessage (status: Point, power: Point, running: boolean, powerKw: number, ratedKw: number): string {
  const said = running ? '显示运行' : '显示停止'
  const drawn = running ? `馈电功率仅 ${kw(powerKw)}` : `馈电功率 ${kw(powerKw)}`
  const why = running ? '疑似风机已停或开停传感器故障' : '疑似开停传感器故障'
  return `${pointHead(status)}开停传感器${said}，但${pointHead(power)}${drawn}（额定 ${kw(ratedKw)} 的 ${pct(powerKw / ratedKw)}），${why}`
}

/** fanConsistentMessage words a PW-2 clear. */
export function fanConsistentMessage (status: Point, power: Point, powerKw: number): string {
  return `${pointHead(status)}开停状态与${pointHead(power)}馈电功率 ${kw(powerKw)} 已一致`
}

/** silentMessage words the escalation of a producing site's silence. */
export function silentMessage (site: Site, silentMs: number, evidence: string | null): string {
  const tail = evidence === null ? '，超过处置时限' : `，而${evidence}仍在上报`
  return `${siteHead(site)}生产期间全部测点已 ${durationZh(silentMs)}无数据${tail}，疑似关闭或破坏监测监控系统`
}

/** silentEndMessage words the clear: readings arrive again. */
export function silentEndMessage (site: Site, by: string): string {
  return `${siteHead(site)}生产期间联网中断已解除：${by} 恢复上报`
}
