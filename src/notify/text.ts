// What a notification says, in Chinese for the duty room: level, site, title, value and limit, the time in the
// roster's zone (Asia/Shanghai by default) and a link to the alarm in the console. Each channel renders this
// one text in its own format (markdown for the robots, plain text for e-mail).
import type { Level } from '../contract/index.js'
import type { NotifyJob } from './types.js'

/** LEVEL_ZH names the levels as the duty room says them. */
export const LEVEL_ZH: Readonly<Record<Level, string>> = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' }

/** TextOptions: where the console is (config MINEWATCH_PUBLIC_URL; none: a path) and the zone of the times. */
export interface TextOptions { publicUrl?: string, timezone: string }

/** NotifyText is a notification before a channel formats it. */
export interface NotifyText {
  /** one line: 【红色报警】site title */
  title: string
  /** label, value pairs */
  fields: Array<[string, string]>
  link: string
}

/** consoleLink is the console address of an alarm. */
export function consoleLink (alarmId: string, publicUrl: string | undefined): string {
  const base = (publicUrl ?? '').replace(/\/+$/, '')
  return `${base}/console/alarms/${encodeURIComponent(alarmId)}`
}

/** localStamp renders an RFC 3339 time as "YYYY-MM-DD HH:MM:SS" in a time zone. */
export function localStamp (iso: string, timezone: string): string {
  // sv-SE is the locale whose date format is ISO's
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'
  }).format(Date.parse(iso))
}

function why (job: NotifyJob): string {
  if (job.reason === 'raised') return '新报警'
  if (job.reason === 'level_up') return '报警级别升高'
  if (job.reason === 'escalation') return `超时未确认，第 ${job.step} 次升级`
  return '重复提醒：仍未确认'
}

/** notifyText is what a job says. */
export function notifyText (job: NotifyJob, o: TextOptions): NotifyText {
  const a = job.alarm
  const fields: Array<[string, string]> = [
    ['原因', why(job)],
    ['矿山', a.siteCode],
    ['级别', LEVEL_ZH[a.level]],
    ['内容', a.message]
  ]
  if (a.value !== null) fields.push(['当前值', String(a.value)])
  if (a.limit !== null) fields.push(['限值', String(a.limit)])
  fields.push(['报警时间', localStamp(a.startedAt, o.timezone)])
  fields.push(['测点', a.points.join('、')])
  return { title: `【${LEVEL_ZH[a.level]}报警】${a.siteCode} ${a.title}`, fields, link: consoleLink(a.alarmId, o.publicUrl) }
}

/** asMarkdown is the text as robot markdown. */
export function asMarkdown (t: NotifyText): string {
  return [`### ${t.title}`, ...t.fields.map(([k, v]) => `- **${k}**：${v}`), `[在控制台查看](${t.link})`].join('\n')
}

/** asPlain is the text as lines of plain text. */
export function asPlain (t: NotifyText): string {
  return [t.title, '', ...t.fields.map(([k, v]) => `${k}：${v}`), '', `在控制台查看：${t.link}`].join('\n')
}
