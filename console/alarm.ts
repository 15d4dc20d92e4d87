// An alarm's page: what it is, its transitions, the rule and the clause it cites, the trend of its points
// around it, the evidence (the readings kept with it and the fixed bundle), and the audit of who did what.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.js'
import { t } from './i18n.js'
import { alarms } from './store.js'
import { BASE, onLink } from './router.js'
import { clock, num } from './format.js'
import { Chart, type Series } from './chart.js'
import { act, ActionForm } from './forms.js'
import { may } from './session.js'
import type { Alarm } from './types.js'
import { nameOf } from './names.js'

// the trend shows this long before the alarm started and after it (or until now)
const AROUND_MS = 30 * 60_000

interface Detail { alarm: Alarm, history: Alarm[], evidence: Array<{ point: string, ts: string, value: number, status: number }>, attachments: any[] }

async function trend (a: Alarm): Promise<Series[]> {
  const start = Date.parse(a.startedAt)
  const from = new Date(start - AROUND_MS).toISOString()
  const to = new Date(Math.min(Date.now(), start + AROUND_MS)).toISOString()
  return await Promise.all(a.points.map(async (p) => {
    const r = await api<{ readings: Series['readings'] }>('GET', `/v1/sites/${encodeURIComponent(a.siteCode)}/points/${encodeURIComponent(p)}/readings?from=${from}&to=${to}&limit=2000`).catch(() => ({ readings: [] }))
    return { point: p, readings: r.readings }
  }))
}

function Evidence ({ alarmId }: { alarmId: string }) {
  const [bundle, setBundle] = useState<{ status: string, digest?: string } | null>(null)
  useEffect(() => {
    api<any>('GET', `/v1/alarms/${encodeURIComponent(alarmId)}/evidence`).then(
      (b) => setBundle({ status: t('evidenceFixed'), digest: b.digest ?? b.sha256 }),
      (err: unknown) => setBundle({ status: err instanceof ApiError && err.code === 'MW_ERR_EVIDENCE_PENDING' ? t('evidencePending') : t('none') }))
  }, [alarmId])
  if (bundle === null) return null
  return html`<p class="bundle">${bundle.status}${bundle.digest !== undefined && html` · ${t('evidenceDigest')}: <code>${bundle.digest}</code>`}
    · <a href=${`/v1/alarms/${encodeURIComponent(alarmId)}/evidence?format=zip`} download>${t('download')}</a></p>`
}

interface Delivery { contact: string, channel: string, reason: string, step: number, attempt: number, outcome: string, status: number | null, error: string | null, at: string }

// Who was told, how, and whether it arrived: every attempt the notifier recorded (GET …/notifications).
function Notifications ({ alarmId, seq }: { alarmId: string, seq: number }) {
  const [list, setList] = useState<Delivery[]>([])
  useEffect(() => {
    api<{ notifications: Delivery[] }>('GET', `/v1/alarms/${encodeURIComponent(alarmId)}/notifications`).then((r) => setList(r.notifications), () => setList([]))
  }, [alarmId, seq])
  if (list.length === 0) return html`<p class="empty">${t('noNotifications')}</p>`
  return html`<table class="notifications"><thead><tr><th>${t('at')}</th><th>${t('contact')}</th><th>${t('channel')}</th><th>${t('why')}</th><th>${t('outcome')}</th></tr></thead>
    <tbody>${list.map((d) => html`<tr data-outcome=${d.outcome}>
      <td>${clock(d.at)}</td><td>${d.contact}</td><td>${d.channel}</td>
      <td>${nameOf('reason', d.reason)}${d.step > 0 ? ` · ${t('step', { n: d.step + 1 })}` : ''}</td>
      <td class=${d.outcome === 'delivered' ? 'good' : 'bad'}>${nameOf('delivery', d.outcome)}${d.attempt > 1 ? ` · ${t('attempt', { n: d.attempt })}` : ''}${d.error !== null ? ` · ${d.error}` : ''}</td>
    </tr>`)}</tbody></table>`
}

export function AlarmPage ({ alarmId }: { alarmId: string }) {
  const live = alarms.use().get(alarmId)
  const [detail, setDetail] = useState<Detail | null>(null)
  const [rule, setRule] = useState<any>(null)
  const [series, setSeries] = useState<Series[]>([])
  const [audit, setAudit] = useState<any[]>([])
  const [error, setError] = useState('')
  const [open, setOpen] = useState<'dispatch' | 'close' | 'shelve' | null>(null)
  const [message, setMessage] = useState('')
  const seq = live?.seq ?? 0
  // read again whenever the feed brings a transition of this alarm
  useEffect(() => {
    const id = encodeURIComponent(alarmId)
    api<Detail>('GET', `/v1/alarms/${id}`).then(async (d) => {
      setDetail(d)
      const [rules, tr, au] = await Promise.all([
        api<{ rules: any[] }>('GET', '/v1/rules').catch(() => ({ rules: [] })),
        trend(d.alarm),
        api<{ records: any[] }>('GET', `/v1/audit?alarm=${id}`).catch(() => ({ records: [] }))
      ])
      setRule(rules.rules.find((r) => r.id === d.alarm.ruleId) ?? null)
      setSeries(tr)
      setAudit(au.records)
    }, (err: Error) => setError(err.message))
  }, [alarmId, seq])
  if (error !== '') return html`<p class="error" role="alert">${error}</p>`
  if (detail === null) return html`<p class="loading">…</p>`
  const a = detail.alarm
  const done = (m: string): void => { setOpen(null); setMessage(m) }
  return html`<article class="alarm-page" data-alarm=${a.alarmId}>
    <p><a href=${BASE} onClick=${onLink}>← ${t('back')}</a></p>
    <h1><span class=${'badge badge-' + a.level}>${t(a.level)}</span> ${a.title} <small>${a.siteCode} · ${t(a.state)}</small></h1>
    <p class="lead">${a.message}</p>
    <dl class="facts">
      <dt>${t('value')}</dt><dd>${num(a.value)}</dd><dt>${t('limit')}</dt><dd>${num(a.limit)}</dd>
      <dt>${t('points')}</dt><dd>${a.points.join(', ')}</dd><dt>${t('at')}</dt><dd>${clock(a.startedAt)}</dd>
    </dl>
    ${may('handle') && a.state !== 'closed' && html`<div class="toolbar">
      ${a.state === 'open' && html`<button type="button" class="ack" onClick=${async () => setMessage(await act('ack', [a.alarmId]))}>${t('ack')}</button>`}
      <button type="button" onClick=${() => setOpen('dispatch')}>${t('dispatch')}</button>
      <button type="button" onClick=${() => setOpen('close')}>${t('close')}</button>
      ${a.shelf !== null && a.shelf !== undefined && Date.parse(a.shelf.until) > Date.now()
        ? html`<button type="button" onClick=${async () => setMessage(await act('unshelve', [a.alarmId]))}>${t('unshelve')}</button>`
        : html`<button type="button" onClick=${() => setOpen('shelve')}>${t('shelve')}</button>`}
    </div>`}
    ${open !== null && html`<${ActionForm} action=${open} ids=${[a.alarmId]} done=${done} />`}
    ${message !== '' && html`<p class="message" role="status">${message}</p>`}
    <section aria-labelledby="h-rule"><h2 id="h-rule">${t('rule')}</h2>
      <p><code>${a.ruleId}</code> v${a.ruleVersion}${rule !== null && ` · ${rule.title}`}</p>
      <p>${t('clause')}: ${a.source ?? rule?.source ?? '—'}${a.hazardClause !== null && html` · <strong>${a.hazardClause}</strong>`}</p>
    </section>
    <section aria-labelledby="h-trend"><h2 id="h-trend">${t('trend')}</h2>
      <${Chart} series=${series} limit=${a.limit} mark=${Date.parse(a.startedAt)} label=${t('trend')} />
    </section>
    <section aria-labelledby="h-transitions"><h2 id="h-transitions">${t('transitions')}</h2>
      <ol class="transitions">${detail.history.map((h) => html`<li data-transition=${h.transition}>
        <span class="when">${clock(h.detectedAt)}</span> <strong>${nameOf('transition', h.transition ?? '')}</strong> ${t(h.state)}
        ${h.by !== undefined && ` · ${h.by}`}${h.assignee !== undefined && ` · ${t('dispatchedTo', { who: h.assignee, at: h.deadline === undefined || h.deadline === null ? '—' : clock(h.deadline) })}`}${h.disposition !== undefined && ` · ${t(h.disposition as 'confirmed')}`}${h.note !== undefined && ` · ${h.note}`}
      </li>`)}</ol>
    </section>
    <section aria-labelledby="h-evidence"><h2 id="h-evidence">${t('evidence')}</h2>
      <${Evidence} alarmId=${a.alarmId} />
      <table class="evidence"><thead><tr><th>${t('points')}</th><th>${t('at')}</th><th>${t('value')}</th></tr></thead>
        <tbody>${detail.evidence.map((e) => html`<tr><td>${e.point}</td><td>${clock(e.ts)}</td><td>${num(e.value)}</td></tr>`)}</tbody></table>
    </section>
    <section aria-labelledby="h-notify"><h2 id="h-notify">${t('notifications')}</h2>
      <${Notifications} alarmId=${a.alarmId} seq=${seq} />
    </section>
    <section aria-labelledby="h-audit"><h2 id="h-audit">${t('audit')}</h2>
      <table class="audit"><thead><tr><th>${t('at')}</th><th>${t('actor')}</th><th>${t('action')}</th><th>${t('outcome')}</th></tr></thead>
        <tbody>${audit.map((r) => html`<tr data-action=${r.action}><td>${clock(r.at)}</td><td>${r.actor}</td><td>${nameOf('action', r.action)}</td><td>${nameOf('outcome', r.outcome)}</td></tr>`)}</tbody></table>
    </section>
  </article>`
}
