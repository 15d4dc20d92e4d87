// A site's duty roster (GET/PUT /v1/sites/:site/roster): its shifts with the people in escalation order and
// how each is reached, the shift on duty now marked (the server's own onDuty, in the roster's time zone). A
// supervisor edits it as the API's JSON: robot secrets show as "******" and are kept when put back unchanged;
// a refusal names the field (/shifts/0/contacts/1/channels/0/url).
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.js'
import { lang, t } from './i18n.js'
import { may } from './session.js'
import { clock } from './format.js'
import { onDuty } from '../src/notify/roster.js'
import type { Roster, Shift } from '../src/notify/types.js'

const DAYS = { 'zh-CN': ['一', '二', '三', '四', '五', '六', '日'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] }

function Shifts ({ roster }: { roster: Roster }) {
  const now = onDuty(roster, Date.now())
  const days = (s: Shift): string => s.days.length === 7 ? t('everyDay') : s.days.map((d) => t('weekday', { d: DAYS[lang.get()][d - 1] ?? String(d) })).join(' ')
  return html`<table class="roster" aria-label=${t('roster')}>
    <thead><tr><th>${t('shift')}</th><th>${t('period')}</th><th>${t('contacts')}</th><th>${t('levelFilter')}</th></tr></thead>
    <tbody>${roster.shifts.map((s, i) => html`<tr data-shift=${i} class=${now.includes(s) ? 'on-duty' : ''}>
      <td>${s.name ?? `#${i + 1}`}${now.includes(s) && html` <span class="mark window-active">${t('onDuty')}</span>`}</td>
      <td>${days(s)} ${s.start}–${s.end}</td>
      <td><ol class="contacts">${s.contacts.map((c) => html`<li>${c.name}${c.username !== undefined ? ` (${c.username})` : ''} <span class="sub">${c.channels.map((ch) => ch.kind).join(', ')}</span></li>`)}</ol></td>
      <td>${(s.levels ?? []).map((l) => t(l)).join(' ') || t('allLevels')}</td>
    </tr>`)}</tbody>
  </table>`
}

function Editor ({ site, roster, done }: { site: string, roster: Roster | null, done: (r: Roster | null) => void }) {
  const start = roster === null ? { timezone: 'Asia/Shanghai', shifts: [] } : { timezone: roster.timezone, shifts: roster.shifts }
  const [text, setText] = useState(JSON.stringify(start, null, 2))
  const [error, setError] = useState('')
  const save = async (e: Event): Promise<void> => {
    e.preventDefault()
    let body: unknown
    try { body = JSON.parse(text) } catch (err) { setError(t('error', { m: (err as Error).message })); return }
    try {
      done(await api<Roster>('PUT', `/v1/sites/${encodeURIComponent(site)}/roster`, body))
    } catch (err) {
      setError(t('error', { m: err instanceof ApiError ? err.explain() : String(err) }))
    }
  }
  return html`<form class="roster-editor" onSubmit=${save} aria-label=${t('editRoster')}>
    <label>${t('rosterJson')}<textarea name="roster" rows="18" spellcheck="false" value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea></label>
    ${error !== '' && html`<p class="error" role="alert">${error}</p>`}
    <div class="toolbar"><button type="submit" class="primary">${t('save')}</button><button type="button" onClick=${() => done(roster)}>${t('cancel')}</button></div>
  </form>`
}

export function RosterPanel ({ site }: { site: string }) {
  const [roster, setRoster] = useState<Roster | null | undefined>(undefined)
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    api<Roster>('GET', `/v1/sites/${encodeURIComponent(site)}/roster`).then(setRoster, () => setRoster(null))
  }, [site])
  if (roster === undefined) return null
  return html`<section class="roster-panel" aria-labelledby="h-roster">
    <h2 id="h-roster">${t('roster')}</h2>
    ${roster === null ? html`<p class="empty">${t('noRoster')}</p>` : html`<p class="sub">${roster.timezone}${roster.updatedAt !== undefined && ` · ${t('updatedBy', { by: roster.updatedBy ?? '', at: clock(roster.updatedAt) })}`}</p><${Shifts} roster=${roster} />`}
    ${may('supervise') && !editing && html`<button type="button" onClick=${() => setEditing(true)}>${t('editRoster')}</button>`}
    ${editing && html`<${Editor} site=${site} roster=${roster} done=${(r: Roster | null) => { setRoster(r); setEditing(false) }} />`}
  </section>`
}
