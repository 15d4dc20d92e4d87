// The alarm board: open alarms, live from the feed, red first and the longest waiting first within a level.
// Unacknowledged ones flash in their colour and sound; shelved ones are listed apart with who, why and until
// when (nothing is suppressed silently). Arrow keys move between rows, Enter opens one, A acknowledges it.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api, fire } from './api.js'
import { t } from './i18n.js'
import { alarms, requests as requestCount } from './store.js'
import { sound } from './sound.js'
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
    ${a.overdue === true && html`<span class="mark overdue">${t('overdue')}</span>`}`
}

function ShelfNote ({ a }: { a: Alarm }) {
  const s = a.shelf
  if (s === null || s === undefined) return null
  return html`<span class="shelf-note">${t('shelvedBy', { by: s.by, reason: s.reason, until: clock(s.until) })}${s.approvedBy !== undefined ? '，' + t('approvedBy', { by: s.approvedBy }) : ''}</span>`
}

type Open = { action: 'dispatch' | 'close' | 'shelve', ids: string[] } | null

function Row ({ a, now, selected, toggle, open, setOpen, report }: { a: Alarm, now: number, selected: boolean, toggle: () => void, open: Open, setOpen: (o: Open) => void, report: (m: string) => void }) {
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
      class=${['alarm', 'level-' + a.level, unacked ? 'flash' : '', isShelved(a, now) ? 'shelved' : ''].join(' ')}
      aria-label=${`${t(a.level)} ${a.siteCode} ${a.title} ${t(a.state)}`}>
    <td><input type="checkbox" checked=${selected} onChange=${toggle} aria-label=${t('select')} tabindex="-1" /></td>
    <td><span class=${'badge badge-' + a.level}>${t(a.level)}</span></td>
    <td>${a.siteCode}</td>
    <td><a href=${`${BASE}alarms/${encodeURIComponent(a.alarmId)}`} onClick=${onLink} tabindex="-1">${a.title}</a>
      <div class="sub">${a.message}</div><${Marks} a=${a} /><${ShelfNote} a=${a} /></td>
    <td class="age">${age(a.raisedAt ?? a.startedAt, now)}</td>
    <td class="state">${t(a.state)}${a.assignee !== undefined ? ` · ${a.assignee}` : ''}</td>
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

function Table ({ list, now, label, selection, setSelection, open, setOpen, report }: { list: Alarm[], now: number, label: string, selection: Set<string>, setSelection: (s: Set<string>) => void, open: Open, setOpen: (o: Open) => void, report: (m: string) => void }) {
  const toggle = (id: string): void => {
    const next = new Set(selection)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setSelection(next)
  }
  return html`<table class="board" aria-label=${label}>
    <thead><tr><th></th><th>${t('level')}</th><th>${t('site')}</th><th>${t('title')}</th><th>${t('age')}</th><th>${t('state')}</th><th>${t('actions')}</th></tr></thead>
    <tbody>${list.map((a) => html`<${Row} key=${a.alarmId} a=${a} now=${now} selected=${selection.has(a.alarmId)} toggle=${() => toggle(a.alarmId)} open=${open} setOpen=${setOpen} report=${report} />`)}</tbody>
  </table>`
}

function PendingShelves ({ version, report }: { version: number, report: (m: string) => void }) {
  const [requests, setRequests] = useState<any[]>([])
  const made = requestCount.use()
  const [tick, setTick] = useState(0)
  // read again when the alarms change (an approval shelves one), when this console asks or approves, and each
  // minute for requests made at another console (a request is not an alarm transition, so the feed is silent)
  useEffect(() => { const i = setInterval(() => setTick((n) => n + 1), 60_000); return () => clearInterval(i) }, [])
  useEffect(() => { api<{ requests: any[] }>('GET', '/v1/shelve-requests').then((r) => setRequests(r.requests), () => setRequests([])) }, [version, made, tick])
  if (requests.length === 0) return null
  return html`<section class="pending" aria-label=${t('pendingShelve')}>
    <h2>${t('pendingShelve')}</h2>
    <ul>${requests.map((r) => html`<li>
      <a href=${`${BASE}alarms/${encodeURIComponent(r.alarmId)}`} onClick=${onLink}>${r.alarmId}</a> ${r.siteCode} · ${r.by}: ${r.reason} (${r.minutes} ${t('minutes')})
      ${may('supervise') && html`<button type="button" onClick=${async () => report(await act('approve', [r.alarmId]))}>${t('approve')}</button>`}
    </li>`)}</ul>
  </section>`
}

export function Board () {
  const all = alarms.use()
  const [now, setNow] = useState(Date.now())
  const [selection, setSelection] = useState<Set<string>>(new Set())
  const [open, setOpen] = useState<Open>(null)
  const [message, setMessage] = useState('')
  useEffect(() => { const i = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(i) }, [])
  const list = sorted(all.values())
  const active = list.filter((a) => !isShelved(a, now))
  const shelved = list.filter((a) => isShelved(a, now))
  // the loudest unacknowledged, unshelved alarm decides the sound
  const loudest = active.find((a) => a.state === 'open')?.level ?? null
  useEffect(() => sound(loudest), [loudest])
  useEffect(() => () => sound(null), [])
  const chosen = [...selection].filter((id) => all.has(id))
  const group = async (action: 'ack'): Promise<void> => { setMessage(await act(action, chosen)); setSelection(new Set()) }
  const props = { now, selection, setSelection, open, setOpen, report: setMessage }
  return html`<section class="board-page">
    <div class="toolbar" role="toolbar" aria-label=${t('actions')}>
      <h1>${t('board')} <span class="count">${active.length}</span></h1>
      <button type="button" onClick=${() => setSelection(new Set(active.map((a) => a.alarmId)))}>${t('selectAll')}</button>
      <span>${t('selected', { n: chosen.length })}</span>
      ${may('handle') && html`
        <button type="button" class="group-ack" disabled=${chosen.length === 0} onClick=${() => { fire(group('ack')) }}>${t('ackSelected')}</button>
        <button type="button" class="group-close" disabled=${chosen.length === 0} onClick=${() => setOpen({ action: 'close', ids: chosen })}>${t('closeSelected')}</button>`}
    </div>
    ${open !== null && open.ids.length > 1 && html`<${ActionForm} action=${open.action} ids=${open.ids} done=${(m: string) => { setOpen(null); setMessage(m); setSelection(new Set()) }} />`}
    ${message !== '' && html`<p class="message" role="status">${message}</p>`}
    ${active.length === 0 ? html`<p class="empty">${t('noAlarms')}</p>` : html`<${Table} list=${active} label=${t('board')} ...${props} />`}
    <${PendingShelves} version=${all.size + list.reduce((n, a) => n + a.seq, 0)} report=${setMessage} />
    ${shelved.length > 0 && html`<section class="shelved-list" aria-label=${t('shelved')}><h2>${t('shelved')} <span class="count">${shelved.length}</span></h2>
      <${Table} list=${shelved} label=${t('shelved')} ...${props} /></section>`}
  </section>`
}
