// A site's page: its facts, and per module (rule family) its open alarms and its points; /sites/:code/:module
// shows one module.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api } from './api.js'
import { t } from './i18n.js'
import { alarms, risk } from './store.js'
import { BASE, onLink } from './router.js'
import { byModule, LinkStatus, linkOf, moduleOf, RiskBadge, siteFacts, videoRate, type SiteFacts } from './sites.js'
import { nameOf } from './names.js'
import { MaintenancePanel } from './panels.js'
import { PointsTable, useSitePoints } from './points.js'
import { RosterPanel } from './roster.js'
import { sorted } from './row.js'
import { age } from './format.js'

export function SitePage ({ site, module }: { site: string, module: string | null }) {
  const all = alarms.use()
  const live = risk.use()
  const [facts, setFacts] = useState<SiteFacts | null>(null)
  const [notice, setNotice] = useState('')
  // the points' values read again when this site's alarms change (a link alarm, a value over a limit), and each
  // half minute: readings are not on the feed
  const [tick, setTick] = useState(0)
  useEffect(() => { const i = setInterval(() => setTick((n) => n + 1), 30_000); return () => clearInterval(i) }, [])
  const changes = [...all.values()].filter((a) => a.siteCode === site).reduce((n, a) => n + a.seq, 0)
  const points = useSitePoints(site, facts?.kind ?? null, `${tick}-${changes}`)
  const [error, setError] = useState('')
  useEffect(() => {
    const s = encodeURIComponent(site)
    Promise.all([api('GET', `/v1/sites/${s}`), api('GET', `/v1/sites/${s}/risk`).catch(() => null)])
      .then(async ([view, r]) => setFacts(await siteFacts(view, r)), (err: Error) => setError(err.message))
  }, [site])
  if (error !== '') return html`<p class="error" role="alert">${error}</p>`
  if (facts === null) return html`<p class="loading">…</p>`
  const open = sorted([...all.values()].filter((a) => a.siteCode === site))
  const modules = [...new Set([...byModule(open).keys(), ...points.map((p) => p.module)])]
  const shown = module === null ? modules : [module]
  const level = live.get(site)?.level ?? facts.risk?.level ?? null
  const rate = videoRate(open, facts.channels)
  const now = Date.now()
  return html`<section class="site-page" data-site=${site}>
    <h1>${facts.name} <small>${site}</small> <${RiskBadge} level=${level} /></h1>
    <p class="facts">
      ${t('linkStatus')}: <${LinkStatus} link=${linkOf(open, facts.points)} points=${facts.points} />${' · '}
      ${t('underground')}: <strong>${facts.headcount ?? '—'}</strong>${' · '}
      ${t('videoOnline')}: <strong>${rate === null ? '—' : `${Math.round(rate * 100)}%`}</strong>${' · '}
      ${t('points')}: <strong>${facts.points}</strong>
    </p>
    <nav class="module-tabs" aria-label=${t('modules')}>
      <a href=${`${BASE}sites/${encodeURIComponent(site)}`} onClick=${onLink} aria-current=${module === null ? 'page' : undefined}>${t('modules')}</a>
      ${modules.map((m) => html`<a href=${`${BASE}sites/${encodeURIComponent(site)}/${encodeURIComponent(m)}`} onClick=${onLink} aria-current=${m === module ? 'page' : undefined}>${nameOf('module', m)}</a>`)}
    </nav>
    ${notice !== '' && html`<p class="message" role="status">${notice}</p>`}
    <${MaintenancePanel} site=${site} now=${now} report=${setNotice} />
    ${open.length === 0 && html`<p class="empty">${t('noAlarms')}</p>`}
    ${shown.map((m) => html`<section class="module" data-module=${m}>
      <h2>${nameOf('module', m)}</h2>
      <${PointsTable} rows=${points.filter((p) => p.module === m)} open=${open} />
      <ul class="site-alarms">${open.filter((a) => moduleOf(a) === m).map((a) => html`<li class=${'level-' + a.level}>
        <span class=${'badge badge-' + a.level}>${t(a.level)}</span>
        <a href=${`${BASE}alarms/${encodeURIComponent(a.alarmId)}`} onClick=${onLink}>${a.title}</a> · ${a.points.join(', ')} · ${t(a.state)} · ${age(a.raisedAt ?? a.startedAt, now)}
      </li>`)}</ul>
    </section>`)}
    ${module === null && html`<${RosterPanel} site=${site} />`}
  </section>`
}
