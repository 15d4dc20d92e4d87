// One alarm's row on the board: level, site, title with its marks and shelf, age, state and the handling
// buttons. Arrow keys move between rows, Enter opens the alarm, A acknowledges it, Space selects it.
import { html } from 'htm/preact'
import { fire } from './api.js'
import { t } from './i18n.js'
import { may } from './session.js'
import { BASE, go, onLink } from './router.js'
import { age, clock } from './format.js'
import { act, ActionForm, type Action } from './forms.js'
import { levelRank, type Alarm } from './types.js'

export function isShelved (a: Alarm, now: number): boolean {
  return a.shelf !== null && a.shelf !== undefined && Date.parse(a.shelf.until) > now
}

function since (a: Alarm): number {
  return Date.parse(a.raisedAt ?? a.startedAt)
}

export function sorted (list: Iterable<Alarm>): Alarm[] {
  return [...list].sort((x, y) => levelRank(x.level) - levelRank(y.level) || since(x) - since(y))
}

function Marks ({ a }: { a: Alarm }) {
  return html`
    ${(a.escalation ?? 0) > 0 && html`<span class="mark escalated">${t('escalated', { n: a.escalation ?? 0 })}</span>`}
    ${a.overdue === true && html`<span class="mark overdue">${t('overdue')}</span>`}
    ${a.verificationOverdue === true && html`<span class="mark overdue">${t('verificationOverdue')}</span>`}`
}

function ShelfNote ({ a }: { a: Alarm }) {
  const s = a.shelf
  if (s === null || s === undefined) return null
  return html`<span class="shelf-note">${t('shelvedBy', { by: s.by, reason: s.reason, until: clock(s.until) })}${s.approvedBy !== undefined ? '，' + t('approvedBy', { by: s.approvedBy }) : ''}</span>`
}

export type Open = { action: 'dispatch' | 'close' | 'shelve', ids: string[] } | null

export function Row ({ a, now, selected, toggle, open, setOpen, report, member = false }: { a: Alarm, now: number, selected: boolean, toggle: () => void, open: Open, setOpen: (o: Open) => void, report: (m: string) => void, member?: boolean }) {
  const unacked = a.state === 'open' && !isShelved(a, now)
  const run = async (action: Action): Promise<void> => report(await act(action, [a.alarmId]))
  const key = (e: KeyboardEvent): void => {
    if (e.target !== e.currentTarget) return
    const row = e.currentTarget as HTMLElement
    if (e.key === 'ArrowDown') { (row.nextElementSibling as HTMLElement | null)?.focus(); e.preventDefault() }
    if (e.key === 'ArrowUp') { (row.previousElementSibling as HTMLElement | null)?.focus(); e.preventDefault() }
    if (e.key === 'Enter') go(`${BASE}alarms/${encodeURIComponent(a.alarmId)}`)
    if ((e.key === 'a' || e.key === 'A') && a.state === 'open' && may('handle')) fire(run('ack'))
    if (e.key === ' ') { toggle(); e.preventDefault() }
  }
  return html`<tr tabindex="0" onKeyDown=${key} data-alarm=${a.alarmId} data-level=${a.level} data-state=${a.state}
      class=${['alarm', 'level-' + a.level, unacked ? 'flash' : '', isShelved(a, now) ? 'shelved' : '', member ? 'member' : ''].join(' ')}
      aria-label=${`${t(a.level)} ${a.siteCode} ${a.title} ${t(a.state)}`}>
    <td><input type="checkbox" checked=${selected} onChange=${toggle} aria-label=${t('select')} tabindex="-1" /></td>
    <td><span class=${'badge badge-' + a.level}>${t(a.level)}</span></td>
    <td>${a.siteCode}</td>
    <td><a href=${`${BASE}alarms/${encodeURIComponent(a.alarmId)}`} onClick=${onLink} tabindex="-1">${a.title}</a>
      <div class="sub">${a.message}</div><${Marks} a=${a} /><${ShelfNote} a=${a} /></td>
    <td class="age">${age(a.raisedAt ?? a.startedAt, now)}</td>
    <td class="state">${t(a.state)}${a.state === 'dispatched' && a.assignee !== undefined ? html`<div class="sub">${t('dispatchedTo', { who: a.assignee, at: a.deadline === undefined || a.deadline === null ? '—' : clock(a.deadline) })}</div>` : ''}</td>
    <td class="actions">${may('handle') && html`
      ${a.state === 'open' && html`<button type="button" class="ack" onClick=${() => { fire(run('ack')) }}>${t('ack')}</button>`}
      ${a.state !== 'dispatched' && html`<button type="button" onClick=${() => setOpen({ action: 'dispatch', ids: [a.alarmId] })}>${t('dispatch')}</button>`}
      <button type="button" onClick=${() => setOpen({ action: 'close', ids: [a.alarmId] })}>${t('close')}</button>
      ${isShelved(a, now)
        ? html`<button type="button" onClick=${() => { fire(run('unshelve')) }}>${t('unshelve')}</button>`
        : html`<button type="button" onClick=${() => setOpen({ action: 'shelve', ids: [a.alarmId] })}>${t('shelve')}</button>`}`}
      ${open !== null && open.ids.length === 1 && open.ids[0] === a.alarmId && html`<${ActionForm} action=${open.action} ids=${open.ids} done=${(m: string) => { setOpen(null); report(m) }} />`}
    </td>
  </tr>`
}

/** RowProps are what every row of a table shares. */
export interface RowProps { now: number, selection: Set<string>, setSelection: (s: Set<string>) => void, open: Open, setOpen: (o: Open) => void, report: (m: string) => void }
