// The CSV files of an evidence export, for an enforcement file (执法文书): UTF-8 with a byte-order mark, so
// Excel opens the Chinese headers and texts right, CRLF line ends, and times in UTC and in Beijing time.
const BOM = '\uFEFF'

/** csvField quotes a field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField (v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** toCsv renders a header and rows as CSV text with a BOM. */
export function toCsv (header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return BOM + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

const beijing = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23'
})

/** beijingTime renders an RFC 3339 time as "YYYY-MM-DD HH:mm:ss.SSS" in Beijing time (UTC+8), as the duty room reads it. */
export function beijingTime (iso: string): string {
  return beijing.format(new Date(iso)).replace(',', '.')
}

interface BodyReading { point: string, ts: string, value: number | null, status: number }
interface BodyTransition { seq: number, transition: string, level: string, state: string, detectedAt: string, value?: number | null, limit?: number | null, by?: string, note?: string, message?: string }

/** readingsCsv lists the window's readings: point, UTC time, Beijing time, value, status. */
export function readingsCsv (readings: readonly BodyReading[]): string {
  return toCsv(['测点编码', '时间(UTC)', '北京时间', '数值', '状态码'], readings.map((r) => [r.point, r.ts, beijingTime(r.ts), r.value, r.status]))
}

/** transitionsCsv lists the alarm's transitions. */
export function transitionsCsv (transitions: readonly BodyTransition[]): string {
  return toCsv(['序号', '转换', '级别', '处置状态', '判定时间(UTC)', '北京时间', '数值', '限值', '操作人', '备注', '说明'],
    transitions.map((t) => [t.seq, t.transition, t.level, t.state, t.detectedAt, beijingTime(t.detectedAt), t.value, t.limit, t.by, t.note, t.message]))
}
