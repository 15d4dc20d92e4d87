// Video channels (视频智能辅助监管), 32 over the sites as the seed counts them: shaft collars, haul roads,
// crushers, belts and the ponds' dams. The channel a scenario's AI event comes from is named here, so a
// scenario can say "the belt camera" without knowing codes.
import type { Channels } from '../../../contract/index.js'
import { pad } from './builder.js'

/** Channel is one video channel as PUT /v1/sites/{site}/video/channels takes it. */
export type Channel = Channels[number]

/** VIDEO_HEARTBEAT_S is how often a site's NVR reports its channels' state. */
export const VIDEO_HEARTBEAT_S = 60

const NAMES: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  'SG-XS': [
    ['主井井口', '主井井口房'], ['副井井口', '副井井口房'], ['措施井井口', '措施井井口'], ['斜坡道口', '斜坡道地表出入口'],
    ['主井皮带', '主井皮带走廊'], ['矿区大门', '矿区运输大门'], ['-180m 井底车场', '-180m 主井井底车场'],
    ['-240m 主运输巷', '-240m 主运输巷'], ['-300m 7#采场', '-300m 7#采场'], ['-330m 破碎硐室', '-330m 破碎硐室'],
    ['东风井主扇房', '东风井主扇房'], ['西风井主扇房', '西风井主扇房']
  ],
  'SG-SC': [
    ['东帮边坡', '东帮 -120m 平台'], ['北帮边坡', '北帮 -90m 平台'], ['采场运输道', '采场主运输道'], ['粗破站', '粗破 1# 旋回破碎机'],
    ['中破站', '中破圆锥破碎机'], ['胶带运输', '采场胶带运输走廊'], ['排水泵站', '采场排水泵站'], ['矿区大门', '矿区运输大门']
  ],
  'SG-DSH': [
    ['南帮边坡', '南帮 -60m 平台'], ['采场运输道', '采场主运输道'], ['粗破站', '粗破破碎机'], ['中破站', '中破破碎机'],
    ['胶带运输', '采场胶带运输走廊'], ['矿区大门', '矿区运输大门']
  ],
  'SG-DSH-TP': [['坝体', '初期坝坝顶'], ['库区', '库区水面']],
  'SG-SC-TP': [['坝体', '初期坝坝顶'], ['库区', '库区水面']],
  'SG-SC-WD': [['排土场边坡', '排土场 3# 台阶'], ['排土作业面', '排土场卸载平台']]
}

/** channelsOf lists the video channels of a site (V01, V02, …; none for a site not listed). */
export function channelsOf (site: string): Channel[] {
  return (NAMES[site] ?? []).map(([name, location], i) => ({ channelCode: `V${pad(i + 1, 2)}`, name, location }))
}

/** channelNamed is the code of the site's channel with `name`; throws if there is none (a fleet change). */
export function channelNamed (site: string, name: string): string {
  const c = channelsOf(site).find((x) => x.name === name)
  if (c === undefined) throw new Error(`no video channel "${name}" at ${site}`)
  return c.channelCode
}
