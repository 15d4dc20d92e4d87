// What the board shows beside the alarms, so nothing is suppressed silently: the shelve requests waiting for a
// supervisor, the maintenance windows (planned and running, with how many alarms each holds) and the flood
// banner. The first two read again whenever the feed says their list changed; the flood rate reads again on each
// new alarm and, while a site floods, each minute (a flood ends by time passing, which no event tells).
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, fire } from './api.js'
import { t } from './i18n.js'
import { alarms, announced, maintenance, requests } from './store.js'
import { may, user } from './session.js'
import { BASE, onLink } from './router.js'
import { clock } from './format.js'
import { nameOf } from './names.js'
import { act } from './forms.js'

export interface FloodSite { siteCode: string, count: number, flood: boolean, byRule: Array<{ ruleId: string, count: number }> }
export interface Floods { threshold: number, windowMinutes: number, sites: FloodSite[] }
export type WindowState = 'planned' | 'active' | 'ended'
export interface Window { id: string, siteCode: string, points: string[], from: string, until: string, reason: string, by: string, includeRed: boolean, redApprovedBy?: string | null, state: WindowState, endedAt?: string }

/**
 * windowState is a window's state at `now`: the server's when it was read, moved on by this screen's clock
 * (the list is not read again when a planned window starts or a window runs out).
 */
export function windowState (w: Window, now: number): WindowState {
  if (w.state === 'ended' || Date.parse(w.until) <= now) return 'ended'
  return w.state === 'active' || Date.parse(w.from) <= now ? 'active' : 'planned'
}

export function PendingShelves ({ report }: { report: (m: string) => void }) {
  const [list, setList] = useState<any[]>([])
  const changed = requests.use()
  useEffect(() => { api<{ requests: any[] }>('GET', '/v1/shelve-requests').then((r) => setList(r.requests), () => setList([])) }, [changed])
  if (list.length === 0) return null
  return html`<section class="pending" aria-label=${t('pendingShelve')}>
    <h2>${t('pendingShelve')} <span class="count">${list.length}</span></h2>
    <ul>${list.map((r) => html`<li data-request=${r.alarmId}>
      <a href=${`${BASE}alarms/${encodeURIComponent(r.alarmId)}`} onClick=${onLink}>${r.alarmId}</a> ${r.siteCode} · ${r.by}: ${r.reason} (${r.minutes} ${t('minutes')})
      ${may('supervise') && html`<button type="button" onClick=${async () => report(await act('approve', [r.alarmId]))}>${t('approve')}</button>`}
    </li>`)}</ul>
  </section>`
}

/** useWindows lists the maintenance windows not yet ended, of one site or all, read again on every change. */
export function useWindows (site: string | null, now: number): Window[] {
  const [list, setList] = useState<Window[]>([])
  const changed = maintenance.use()
  useEffect(() => {
    const q = site === null ? '' : `&site=${encodeURIComponent(site)}`
    api<{ windows: Window[] }>('GET', `/v1/maintenance?state=all${q}`).then((r) => setList(r.windows), () => setList([]))
  }, [changed, site])
  return list.filter((w) => windowState(w, now) !== 'ended')
}

export function MaintenancePanel ({ site, now, report }: { site: string | null, now: number, report: (m: string) => void }) {
  const list = useWindows(site, now)
  const all = alarms.use()
  if (list.length === 0) return null
  const held = (id: string): number => [...all.values()].filter((a) => a.shelf?.maintenance === id).length
  const me = user.use()
  const call = async (method: 'POST' | 'DELETE', path: string): Promise<void> => {
    try {
      await api(method, path)
    } catch (err) {
      report(t('error', { m: err instanceof ApiError ? err.explain() : String(err) }))
    }
  }
  return html`<section class="maintenance" aria-label=${t('maintenance')}>
    <h2>${t('maintenance')} <span class="count">${list.length}</span></h2>
    <table><thead><tr><th>${t('state')}</th><th>${t('site')}</th><th>${t('points')}</th><th>${t('period')}</th><th>${t('reason')}</th><th>${t('heldAlarms')}</th><th></th></tr></thead>
      <tbody>${list.map((w) => {
        const state = windowState(w, now)
        return html`<tr data-window=${w.id} data-state=${state}>
          <td><span class=${'mark window-' + state}>${t(state === 'active' ? 'windowActive' : 'windowPlanned')}</span></td>
          <td>${w.siteCode}</td>
          <td>${w.points.length === 0 ? t('wholeSite') : w.points.join(', ')}${w.includeRed && html` <span class="mark overdue">${w.redApprovedBy == null ? t('redAwaiting') : t('includesRed')}</span>`}</td>
          <td>${clock(w.from)} – ${clock(w.until)}</td>
          <td>${w.reason} <span class="sub">· ${w.by}</span></td>
          <td>${held(w.id)}</td>
          <td>${may('supervise') && html`
            ${w.includeRed && w.redApprovedBy == null && w.by !== me?.username && html`<button type="button" onClick=${() => { fire(call('POST', `/v1/maintenance/${encodeURIComponent(w.id)}/approve`)) }}>${t('approveRed')}</button>`}
            <button type="button" onClick=${() => { fire(call('DELETE', `/v1/maintenance/${encodeURIComponent(w.id)}`)) }}>${t('endWindow')}</button>`}</td>
        </tr>`
      })}</tbody></table>
  </section>`
}

/** useFloods reads the flood rates on each new alarm, and each minute while a site has raised any. */
export function useFloods (): Floods | null {
  const [floods, setFloods] = useState<Floods | null>(null)
  const [tick, setTick] = useState(0)
  const raised = announced.use()
  useEffect(() => {
    const timer = setTimeout(() => { api<Floods>('GET', '/v1/floods').then(setFloods, () => setFloods(null)) }, 500)
    return () => clearTimeout(timer)
  }, [raised, tick])
  const busy = (floods?.sites.length ?? 0) > 0
  useEffect(() => {
    if (!busy) return
    const i = setInterval(() => setTick((n) => n + 1), 60_000)
    return () => clearInterval(i)
  }, [busy])
  return floods
}

export function FloodBanner ({ floods }: { floods: Floods | null }) {
  const all = alarms.use()
  const flooding = floods?.sites.filter((s) => s.flood) ?? []
  if (floods === null || flooding.length === 0) return null
  const titleOf = (ruleId: string): string => [...all.values()].find((a) => a.ruleId === ruleId)?.title ?? `${nameOf('module', ruleId.split('.')[0] ?? '')} ${ruleId}`
  return html`<div class="flood-banner" role="status" data-flood=${flooding.map((s) => s.siteCode).join(' ')}>
    <strong>⚠ ${t('flood')}</strong>
    ${flooding.map((s) => html`<span class="flood-site">${t('floodSite', { site: s.siteCode, n: s.count, m: floods.windowMinutes, max: floods.threshold })}：${s.byRule.slice(0, 3).map((r) => `${titleOf(r.ruleId)} × ${r.count}`).join('，')}</span>`)}
    <span class="sub">${t('floodGrouped')}</span>
  </div>`
}
