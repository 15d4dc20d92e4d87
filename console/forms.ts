// The small forms behind the handling buttons: dispatch (assignee, deadline), close (disposition, note), shelve
// (reason, minutes) and mute (minutes, reason). Each posts for one alarm or for every selected one, in turn,
// and reports the first failure with the catalogue's message.
import { html } from 'htm/preact'
import { useState } from 'preact/hooks'
import { api, ApiError } from './api.js'
import { t } from './i18n.js'
import { apply, bump, requests } from './store.js'
import { setMutedUntil } from './sound.js'
import type { Alarm } from './types.js'

export type Action = 'ack' | 'dispatch' | 'close' | 'shelve' | 'unshelve' | 'approve'

const PATHS: Record<Action, string> = { ack: 'ack', dispatch: 'dispatch', close: 'close', shelve: 'shelve', unshelve: 'unshelve', approve: 'shelve/approve' }

/** act posts one action for each alarm id; the answer's alarm is applied at once (the feed confirms it). */
export async function act (action: Action, ids: string[], body: Record<string, unknown> = {}): Promise<string> {
  let message = ''
  for (const id of ids) {
    try {
      const res = await api<{ alarm?: Alarm, transition?: Alarm, request?: unknown }>('POST', `/v1/alarms/${encodeURIComponent(id)}/${PATHS[action]}`, body)
      if (res.transition !== undefined) apply(res.transition)
      if (res.request !== undefined) message = t('shelveRequested')
      if (res.request !== undefined || action === 'approve') bump(requests)
    } catch (err) {
      return t('error', { m: err instanceof ApiError ? `${id}: ${err.explain()}` : String(err) })
    }
  }
  return message
}

/** DEADLINE_MAX_MS: the server takes a dispatch deadline at most 7 days ahead (src/5-alarm/transition.ts). */
const DEADLINE_MAX_MS = 7 * 86_400_000

function localIso (ms: number): string {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}

/** ActionForm asks what the action needs, then acts on `ids`. */
export function ActionForm ({ action, ids, done }: { action: 'dispatch' | 'close' | 'shelve', ids: string[], done: (msg: string) => void }) {
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault()
    const f = new FormData(e.target as HTMLFormElement)
    const note = String(f.get('note') ?? '').trim()
    let body: Record<string, unknown>
    if (action === 'dispatch') {
      // the deadline is the Dispatch body's own field: the local time of the input sent as RFC 3339 UTC; the
      // server refuses one not ahead of its clock or more than 7 days ahead (400 naming /deadline)
      const deadline = Date.parse(String(f.get('deadline') ?? ''))
      body = {
        assignee: String(f.get('assignee')),
        ...(Number.isFinite(deadline) ? { deadline: new Date(deadline).toISOString() } : {}),
        ...(note === '' ? {} : { note })
      }
    } else if (action === 'close') {
      body = { disposition: String(f.get('disposition')), ...(note === '' ? {} : { note }) }
    } else {
      body = { reason: String(f.get('reason')), minutes: Number(f.get('minutes')) }
    }
    setBusy(true)
    const msg = await act(action, ids, body)
    setBusy(false)
    done(msg)
  }
  return html`<form class="action-form" onSubmit=${submit} aria-label=${t(action)}>
    ${action === 'dispatch' && html`
      <label>${t('assignee')}<input name="assignee" required maxlength="100" autofocus /></label>
      <label>${t('deadline')}<input name="deadline" type="datetime-local" required min=${localIso(Date.now())} max=${localIso(Date.now() + DEADLINE_MAX_MS)} value=${localIso(Date.now() + 30 * 60_000)} /></label>
      <label>${t('note')}<input name="note" maxlength="2000" /></label>`}
    ${action === 'close' && html`
      <label>${t('disposition')}<select name="disposition" required autofocus>
        ${['confirmed', 'false_alarm', 'planned', 'other'].map((d) => html`<option value=${d}>${t(d as 'confirmed')}</option>`)}
      </select></label>
      <label>${t('note')}<input name="note" maxlength="2000" /></label>`}
    ${action === 'shelve' && html`
      <label>${t('reason')}<input name="reason" required maxlength="500" autofocus /></label>
      <label>${t('minutes')}<input name="minutes" type="number" min="1" max="480" value="30" required /></label>`}
    <button type="submit" class="primary" disabled=${busy}>${t('submit')}</button>
    <button type="button" onClick=${() => done('')}>${t('cancel')}</button>
  </form>`
}

/** MuteForm mutes this console for N minutes; the server audits it and answers until when. */
export function MuteForm ({ done }: { done: () => void }) {
  const [error, setError] = useState('')
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault()
    const f = new FormData(e.target as HTMLFormElement)
    const reason = String(f.get('reason') ?? '').trim()
    try {
      const res = await api<{ mutedUntil: string }>('POST', '/v1/console/mute', { minutes: Number(f.get('minutes')), ...(reason === '' ? {} : { reason }) })
      setMutedUntil(Date.parse(res.mutedUntil))
      done()
    } catch (err) {
      setError(t('error', { m: err instanceof Error ? err.message : String(err) }))
    }
  }
  return html`<form class="action-form mute-form" onSubmit=${submit} aria-label=${t('mute')}>
    <label>${t('muteMinutes')}<input name="minutes" type="number" min="1" max="240" value="5" required autofocus /></label>
    <label>${t('muteReason')}<input name="reason" maxlength="500" /></label>
    ${error !== '' && html`<p class="error" role="alert">${error}</p>`}
    <button type="submit" class="primary">${t('mute')}</button>
    <button type="button" onClick=${done}>${t('cancel')}</button>
  </form>`
}
