// A group on the board: one summary row (the loudest level, how many, how many unacknowledged), opened on
// demand into the rows of its alarms. A link group also lists the site's points the engine holds offline
// (GET /v1/sites/:site/link), since a gateway outage raises one alarm for all of them.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api, fire } from './api.js'
import { t } from './i18n.js'
import { may } from './session.js'
import { age, clock } from './format.js'
import { act } from './forms.js'
import type { BoardRow } from './groups.js'
import { isShelved, Row, type RowProps } from './row.js'

type Group = Extract<BoardRow, { kind: 'group' }>
interface LinkPoint { pointCode: string, state: string, lastTs: string | null, because?: string }

function OfflinePoints ({ site }: { site: string }) {
  const [points, setPoints] = useState<LinkPoint[] | null>(null)
  useEffect(() => {
    api<{ points: LinkPoint[] }>('GET', `/v1/sites/${encodeURIComponent(site)}/link`).then((r) => setPoints(r.points.filter((p) => p.state !== 'online')), () => setPoints([]))
  }, [site])
  if (points === null) return html`<tr class="member"><td colspan="7" class="loading">…</td></tr>`
  return html`<tr class="member offline-points" data-site=${site}><td></td><td colspan="6">
    <strong>${t('offlinePoints', { n: points.length })}</strong>
    <ul class="points">${points.map((p) => html`<li data-point=${p.pointCode}>${p.pointCode} <span class="sub">${p.lastTs === null ? t('neverHeard') : t('lastHeard', { at: clock(p.lastTs) })}</span></li>`)}</ul>
  </td></tr>`
}

export function GroupRow ({ row, toggle, ...props }: RowProps & { row: Group, toggle: (ids: string[]) => void }) {
  const [expanded, setExpanded] = useState(false)
  const all = [row.head, ...row.members]
  const ids = all.map((a) => a.alarmId)
  const unacked = all.filter((a) => a.state === 'open' && !isShelved(a, props.now))
  const oldest = all.reduce((o, a) => Date.parse(a.raisedAt ?? a.startedAt) < Date.parse(o.raisedAt ?? o.startedAt) ? a : o)
  const ackAll = async (): Promise<void> => props.report(await act('ack', unacked.map((a) => a.alarmId)))
  const key = (e: KeyboardEvent): void => {
    if (e.target !== e.currentTarget) return
    const tr = e.currentTarget as HTMLElement
    if (e.key === 'ArrowDown') { (tr.nextElementSibling as HTMLElement | null)?.focus(); e.preventDefault() }
    if (e.key === 'ArrowUp') { (tr.previousElementSibling as HTMLElement | null)?.focus(); e.preventDefault() }
    if (e.key === 'Enter') setExpanded(!expanded)
    if ((e.key === 'a' || e.key === 'A') && unacked.length > 0 && may('handle')) fire(ackAll())
    if (e.key === ' ') { toggle(ids); e.preventDefault() }
  }
  const title = row.reason === 'link'
    ? html`${row.head.title} <span class="mark link">${t('linkGroup', { n: row.members.length + 1 })}</span>`
    : html`${row.head.title} <strong>× ${all.length}</strong> <span class="mark flood">${t('floodGroup')}</span>`
  return html`
    <tr tabindex="0" onKeyDown=${key} data-group=${row.key} data-reason=${row.reason} data-count=${all.length}
        class=${['alarm', 'group', 'level-' + row.head.level, unacked.length > 0 ? 'flash' : ''].join(' ')}
        aria-label=${`${t(row.head.level)} ${row.head.siteCode} ${row.head.title} × ${all.length}`} aria-expanded=${expanded}>
      <td><input type="checkbox" checked=${ids.every((id) => props.selection.has(id))} onChange=${() => toggle(ids)} aria-label=${t('select')} tabindex="-1" /></td>
      <td><span class=${'badge badge-' + row.head.level}>${t(row.head.level)}</span></td>
      <td>${row.head.siteCode}</td>
      <td>${title}<div class="sub">${row.head.message}</div></td>
      <td class="age">${age(oldest.raisedAt ?? oldest.startedAt, props.now)}</td>
      <td class="state">${t('unackedOf', { n: unacked.length, m: all.length })}</td>
      <td class="actions">
        <button type="button" class="expand" aria-expanded=${expanded} onClick=${() => setExpanded(!expanded)}>${expanded ? t('collapse') : t('expand')}</button>
        ${may('handle') && unacked.length > 0 && html`<button type="button" class="ack" onClick=${() => { fire(ackAll()) }}>${t('ackGroup')}</button>`}
      </td>
    </tr>
    ${expanded && row.reason === 'link' && html`<${OfflinePoints} site=${row.head.siteCode} />`}
    ${expanded && all.map((a) => html`<${Row} key=${a.alarmId} a=${a} member=${true} selected=${props.selection.has(a.alarmId)} toggle=${() => toggle([a.alarmId])} ...${props} />`)}`
}
