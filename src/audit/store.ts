// The audit_log rows (migrations/007.do.audit.sql), and the one listing query.
import type { Reader, Row } from '../3-store/types.js'
import type { AuditFilters, AuditRecord } from './types.js'

/** AUDIT_TABLE holds the audit trail. */
export const AUDIT_TABLE = 'audit_log'

/** toAuditRow is the stored row of a record. */
export function toAuditRow (r: AuditRecord): Row {
  const symbols: Record<string, string> = { action: r.action, outcome: r.outcome, actor_kind: r.actorKind }
  if (r.actorRole !== null) symbols.actor_role = r.actorRole
  if (r.site !== undefined) symbols.site = r.site
  return {
    symbols,
    columns: {
      id: r.id,
      actor: r.actor,
      target: r.target,
      detail: r.detail === undefined ? undefined : JSON.stringify(r.detail),
      ip: r.ip
    },
    ts: r.ts
  }
}

/** listAudit returns the records passing the filters, newest first. */
export async function listAudit (reader: Reader, f: AuditFilters): Promise<AuditRecord[]> {
  if (f.sites !== undefined && f.sites.size === 0) return []
  const params: unknown[] = []
  const param = (v: unknown): string => { params.push(v); return `$${params.length}` }
  const where: string[] = []
  if (f.from !== undefined) where.push(`ts >= ${param(new Date(f.from).toISOString())}`)
  if (f.to !== undefined) where.push(`ts <= ${param(new Date(f.to).toISOString())}`)
  if (f.actor !== undefined) where.push(`actor = ${param(f.actor)}`)
  if (f.action !== undefined) where.push(`action = ${param(f.action)}`)
  if (f.site !== undefined) where.push(`site = ${param(f.site)}`)
  if (f.target !== undefined) where.push(`target = ${param(f.target)}`)
  // a scoped caller sees the records of its sites only; site-less records (logins, users) are an admin's
  if (f.withSite === true) where.push('site IS NOT NULL')
  if (f.sites !== undefined) where.push(`site IN (${[...f.sites].map(param).join(', ')})`)
  const sql = `SELECT id, action, outcome, actor, actor_kind, actor_role, site, target, detail, ip, ts FROM ${AUDIT_TABLE}` +
    (where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`) + ` ORDER BY ts DESC LIMIT ${Math.trunc(f.limit)}`
  return (await reader.query(sql, params)).map(fromAuditRow)
}

function fromAuditRow (row: Record<string, unknown>): AuditRecord {
  const r: AuditRecord = {
    id: String(row.id),
    ts: Number(row.ts),
    action: row.action as AuditRecord['action'],
    outcome: row.outcome as AuditRecord['outcome'],
    actor: String(row.actor ?? ''),
    actorKind: (row.actor_kind ?? 'none') as AuditRecord['actorKind'],
    actorRole: row.actor_role === null || row.actor_role === undefined ? null : String(row.actor_role)
  }
  if (typeof row.site === 'string') r.site = row.site
  if (typeof row.target === 'string') r.target = row.target
  if (typeof row.ip === 'string') r.ip = row.ip
  if (typeof row.detail === 'string') r.detail = JSON.parse(row.detail) as Record<string, unknown>
  return r
}
