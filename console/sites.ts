// The site overview: per site its risk colour, open alarms by module (the rule family: gas, ventilation, …),
// link status, people underground and the video online rate. Link and video are the engine's judgement, as its
// open alarms say (the site's link alarm, the points' no-data alarms, the channels' offline alarms), so they
// follow the feed live; GET /v1/sites/:site/link gives the number of points at the start.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api, apiOrNull, fire } from './api.js'
import { t } from './i18n.js'
import { alarms, risk } from './store.js'
import { BASE, onLink } from './router.js'
import type { Alarm } from './types.js'
import { SITE_LINK_RULE } from './groups.js'
import { nameOf } from './names.js'
import { clock } from './format.js'

export interface SiteFacts { siteCode: string, name: string, kind: string, status: string, headcount: number | null, channels: number, points: number, risk: any }

/** moduleOf is the family of an alarm's rule: the part of its id before the first dot. */
export function moduleOf (a: Alarm): string {
  return a.ruleId.split('.')[0] ?? a.ruleId
}

export function byModule (list: Alarm[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const a of list) m.set(moduleOf(a), (m.get(moduleOf(a)) ?? 0) + 1)
  return m
}

/** Link is a site's link as its open alarms tell it: down since when, and how many points are offline. */
export interface Link { down: boolean, since: string | null, offline: number }

export function linkOf (list: Alarm[], points: number): Link {
  const site = list.find((a) => a.ruleId === SITE_LINK_RULE && a.active)
  if (site !== undefined) return { down: true, since: site.startedAt, offline: points }
  const offline = new Set(list.filter((a) => a.ruleId === 'connectivity.point.no_data' && a.active).flatMap((a) => a.points))
  return { down: false, since: null, offline: offline.size }
}

export function LinkStatus ({ link, points }: { link: Link, points: number }) {
  return html`<strong class=${link.down ? 'bad' : link.offline > 0 ? 'warn' : 'good'} data-link=${link.down ? 'offline' : 'online'}>${link.down ? t('offline') : t('online')}</strong>
    ${link.since !== null && html` <span class="sub">${t('linkSince', { at: clock(link.since) })}</span>`}
    ${link.offline > 0 && html` <span class="sub">· ${t('offlinePoints', { n: `${link.offline}/${points}` })}</span>`}`
}

export function videoRate (list: Alarm[], channels: number): number | null {
  if (channels === 0) return null
  const offline = list.filter((a) => a.ruleId === 'video.channel.offline').length
  return Math.max(0, (channels - offline) / channels)
}

export async function siteFacts (site: any, riskView: any): Promise<SiteFacts> {
  const code: string = site.siteCode
  const [people, channels, link] = await Promise.all([
    apiOrNull<{ headcount: number }>(`/v1/sites/${encodeURIComponent(code)}/personnel`),
    apiOrNull<unknown[]>(`/v1/sites/${encodeURIComponent(code)}/video/channels`),
    apiOrNull<{ points: unknown[] }>(`/v1/sites/${encodeURIComponent(code)}/link`)
  ])
  return { siteCode: code, name: site.name, kind: site.kind, status: site.status, headcount: people?.headcount ?? null, channels: Array.isArray(channels) ? channels.length : 0, points: link?.points.length ?? 0, risk: riskView }
}

export function RiskBadge ({ level }: { level: string | null }) {
  return html`<span class=${'badge badge-' + (level ?? 'none')}>${level === null ? t('noRisk') : t(level as 'red')}</span>`
}

export function Sites () {
  const all = alarms.use()
  const live = risk.use()
  const [facts, setFacts] = useState<SiteFacts[] | null>(null)
  useEffect(() => {
    fire((async () => {
      const [{ sites }, { sites: risks }] = await Promise.all([api<{ sites: any[] }>('GET', '/v1/sites'), api<{ sites: any[] }>('GET', '/v1/risk')])
      const riskOf = new Map(risks.map((r) => [r.siteCode, r]))
      setFacts(await Promise.all(sites.map((s) => siteFacts(s, riskOf.get(s.siteCode) ?? null))))
    })())
  }, [])
  if (facts === null) return html`<p class="loading">…</p>`
  return html`<section class="sites">
    <h1>${t('sites')}</h1>
    <ul class="site-cards">${facts.map((f) => {
      const open = [...all.values()].filter((a) => a.siteCode === f.siteCode)
      const level = live.get(f.siteCode)?.level ?? f.risk?.level ?? null
      const rate = videoRate(open, f.channels)
      return html`<li class=${'site-card risk-' + (level ?? 'none')} data-site=${f.siteCode}>
        <h2><a href=${`${BASE}sites/${encodeURIComponent(f.siteCode)}`} onClick=${onLink}>${f.name} <small>${f.siteCode}</small></a></h2>
        <p>${t('risk')}: <${RiskBadge} level=${level} /></p>
        <p>${t('linkStatus')}: <${LinkStatus} link=${linkOf(open, f.points)} points=${f.points} /></p>
        <p>${t('underground')}: <strong>${f.headcount ?? '—'}</strong></p>
        <p>${t('videoOnline')}: <strong>${rate === null ? '—' : `${Math.round(rate * 100)}%`}</strong></p>
        <p>${t('openByModule')}:</p>
        <ul class="modules">${[...byModule(open)].map(([m, n]) => html`<li><a href=${`${BASE}sites/${encodeURIComponent(f.siteCode)}/${encodeURIComponent(m)}`} onClick=${onLink}>${nameOf('module', m)}</a>: ${n}</li>`)}</ul>
      </li>`
    })}</ul>
  </section>`
}
