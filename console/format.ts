// Times and ages as the duty room reads them: local wall-clock time, ages in minutes.
import { t } from './i18n.js'

export function clock (iso: string | undefined): string {
  if (iso === undefined) return ''
  const d = new Date(iso)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

export function age (iso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000))
  if (s < 60) return t('secondsAgo', { s })
  if (s < 3600) return t('minutesAgo', { m: Math.floor(s / 60) })
  return t('hoursAgo', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) })
}

export function num (v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : String(Math.round(v * 1000) / 1000)
}
