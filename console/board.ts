// The alarm board: open alarms, live from the feed, red first and the longest waiting first within a level,
// grouped where a link is down or a site floods (groups.ts). Unacknowledged ones flash in their colour and sound;
// shelved ones are listed apart with who, why and until when, and the maintenance windows and waiting shelve
// requests beside them (nothing is suppressed silently).
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { fire } from './api.js'
import { t } from './i18n.js'
import { alarms } from './store.js'
import { sound } from './sound.js'
import { may } from './session.js'
import { act, ActionForm } from './forms.js'
import { groupRows, type BoardRow } from './groups.js'
import { GroupRow } from './group-row.js'
import { FloodBanner, MaintenancePanel, PendingShelves, useFloods } from './panels.js'
import { isShelved, Row, sorted, type Open, type RowProps } from './row.js'

function Table ({ rows, label, ...props }: RowProps & { rows: BoardRow[], label: string }) {
  const toggle = (ids: string[]): void => {
    const next = new Set(props.selection)
    const on = ids.some((id) => !next.has(id))
    for (const id of ids) { if (on) next.add(id); else next.delete(id) }
    props.setSelection(next)
  }
  return html`<table class="board" aria-label=${label}>
    <thead><tr><th></th><th>${t('level')}</th><th>${t('site')}</th><th>${t('title')}</th><th>${t('age')}</th><th>${t('state')}</th><th>${t('actions')}</th></tr></thead>
    <tbody>${rows.map((r) => r.kind === 'alarm'
      ? html`<${Row} key=${r.alarm.alarmId} a=${r.alarm} selected=${props.selection.has(r.alarm.alarmId)} toggle=${() => toggle([r.alarm.alarmId])} ...${props} />`
      : html`<${GroupRow} key=${r.key} row=${r} toggle=${toggle} ...${props} />`)}</tbody>
  </table>`
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
  const floods = useFloods()
  const flooded = new Set((floods?.sites ?? []).filter((f) => f.flood).map((f) => f.siteCode))
  const props: RowProps = { now, selection, setSelection, open, setOpen, report: setMessage }
  return html`<section class="board-page">
    <div class="toolbar" role="toolbar" aria-label=${t('actions')}>
      <h1>${t('board')} <span class="count">${active.length}</span></h1>
      <button type="button" onClick=${() => setSelection(new Set(active.map((a) => a.alarmId)))}>${t('selectAll')}</button>
      <span>${t('selected', { n: chosen.length })}</span>
      ${may('handle') && html`
        <button type="button" class="group-ack" disabled=${chosen.length === 0} onClick=${() => { fire(group('ack')) }}>${t('ackSelected')}</button>
        <button type="button" class="group-dispatch" disabled=${chosen.length === 0} onClick=${() => setOpen({ action: 'dispatch', ids: chosen })}>${t('dispatchSelected')}</button>
        <button type="button" class="group-close" disabled=${chosen.length === 0} onClick=${() => setOpen({ action: 'close', ids: chosen })}>${t('closeSelected')}</button>`}
    </div>
    ${open !== null && open.ids.length > 1 && html`<${ActionForm} action=${open.action} ids=${open.ids} done=${(m: string) => { setOpen(null); setMessage(m); setSelection(new Set()) }} />`}
    ${message !== '' && html`<p class="message" role="status">${message}</p>`}
    <${FloodBanner} floods=${floods} />
    ${active.length === 0 ? html`<p class="empty">${t('noAlarms')}</p>` : html`<${Table} rows=${groupRows(active, flooded)} label=${t('board')} ...${props} />`}
    <${PendingShelves} report=${setMessage} />
    <${MaintenancePanel} site=${null} now=${now} report=${setMessage} />
    ${shelved.length > 0 && html`<section class="shelved-list" aria-label=${t('shelved')}><h2>${t('shelved')} <span class="count">${shelved.length}</span></h2>
      <${Table} rows=${shelved.map((a) => ({ kind: 'alarm', alarm: a }))} label=${t('shelved')} ...${props} /></section>`}
  </section>`
}
