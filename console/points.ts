// A site's points as the duty room reads them: per point its quantity in Chinese (the quantity catalogue, built
// into the page), location, last value and time, link state and its open alarm. A point belongs to the module
// of the rules that judge it (GET /v1/rules: the first rule family, other than the generic ones, whose match
// takes its quantity and the site's kind), so the gas tab lists the gas sensors even while nothing alarms.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { api } from './api.js'
import { t } from './i18n.js'
import { clock, num } from './format.js'
import { levelRank, type Alarm } from './types.js'
import catalogue from '../schemas/quantity-catalogue.json'
import { moduleOfPoint, type RuleMatch } from './modules.js'

export interface PointDef { pointCode: string, quantity: string, unit: string, location?: string }
export interface PointLink { pointCode: string, state: 'online' | 'offline' | 'never', lastTs: string | null, value: number | null }
export interface PointRow extends PointDef { module: string, link: PointLink | undefined }

export function quantityName (code: string): string {
  const q = (catalogue.quantities as Record<string, { name: string } | undefined>)[code]
  return q === undefined ? code : `${q.name} ${code}`
}

let rulesRead: Promise<RuleMatch[]> | null = null
function rules (): Promise<RuleMatch[]> {
  rulesRead ??= api<{ rules: RuleMatch[] }>('GET', '/v1/rules').then((r) => r.rules, () => { rulesRead = null; return [] })
  return rulesRead
}

/** useSitePoints reads the definitions and the link states of a site's points, again when `version` changes. */
export function useSitePoints (site: string, kind: string | null, version: string): PointRow[] {
  const [rows, setRows] = useState<PointRow[]>([])
  useEffect(() => {
    if (kind === null) return
    const s = encodeURIComponent(site)
    Promise.all([api<PointDef[] | { points: PointDef[] }>('GET', `/v1/sites/${s}/points`), api<{ points: PointLink[] }>('GET', `/v1/sites/${s}/link`), rules()])
      .then(([defs, link, rs]) => {
        const byCode = new Map(link.points.map((p) => [p.pointCode, p]))
        const list = Array.isArray(defs) ? defs : defs.points
        setRows(list.map((d) => ({ ...d, module: moduleOfPoint(d.quantity, kind, rs), link: byCode.get(d.pointCode) })))
      }, () => setRows([]))
  }, [site, kind, version])
  return rows
}

export function PointsTable ({ rows, open }: { rows: PointRow[], open: Alarm[] }) {
  if (rows.length === 0) return null
  const alarmOf = (code: string): Alarm | undefined => open.filter((a) => a.points.includes(code)).sort((x, y) => levelRank(x.level) - levelRank(y.level))[0]
  return html`<table class="points-table" aria-label=${t('points')}>
    <thead><tr><th>${t('points')}</th><th>${t('quantity')}</th><th>${t('location')}</th><th>${t('value')}</th><th>${t('at')}</th><th>${t('linkStatus')}</th><th>${t('title')}</th></tr></thead>
    <tbody>${rows.map((p) => {
      const a = alarmOf(p.pointCode)
      const state = p.link?.state ?? 'never'
      return html`<tr data-point=${p.pointCode} data-module=${p.module}>
        <td>${p.pointCode}</td><td>${quantityName(p.quantity)}</td><td>${p.location ?? ''}</td>
        <td>${num(p.link?.value)} ${p.unit}</td><td>${clock(p.link?.lastTs ?? undefined)}</td>
        <td class=${state === 'online' ? 'good' : 'bad'}>${t(state === 'never' ? 'neverHeard' : state)}</td>
        <td>${a !== undefined && html`<span class=${'badge badge-' + a.level}>${t(a.level)}</span> ${a.title}`}</td>
      </tr>`
    })}</tbody>
  </table>`
}
