// The audit trail (issue 9, item 9): who did what, when, to what, with which outcome.

/** AuditAction names what was done; the list grows with the duty room (shelve, maintenance, …). */
export type AuditAction =
  | 'login' | 'login_failed' | 'lockout' | 'logout'
  | 'ack' | 'dispatch' | 'close' | 'note'
  | 'mute' | 'unmute' | 'shelve' | 'unshelve' | 'maintenance' | 'maintenance_approve' | 'maintenance_end'
  | 'rules_reload' | 'user_put' | 'roster_put'
  | 'evidence_export'

/** AUDIT_ACTIONS lists them, for query schemas. */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'login', 'login_failed', 'lockout', 'logout', 'ack', 'dispatch', 'close', 'note',
  'mute', 'unmute', 'shelve', 'unshelve', 'maintenance', 'maintenance_approve', 'maintenance_end', 'rules_reload', 'user_put', 'roster_put', 'evidence_export'
]

/** AuditEntry is one record as a component reports it. */
export interface AuditEntry {
  action: AuditAction
  outcome: 'ok' | 'requested' | 'denied' | 'failed'
  /** username of a person, name of a token, or the username a failed login tried */
  actor: string
  actorKind: 'user' | 'token' | 'none'
  actorRole: string | null
  site?: string
  /** what it was done to: an alarm id, a username, a rule set */
  target?: string
  /** anything else worth keeping, as JSON (never a password) */
  detail?: Record<string, unknown>
  ip?: string
}

/** AuditRecord is a stored entry. */
export interface AuditRecord extends AuditEntry {
  id: string
  /** epoch ms */
  ts: number
}

/** AuditFilters narrow a listing; `sites` is the caller's scope (undefined: every site and the site-less records). */
export interface AuditFilters {
  from?: number
  to?: number
  actor?: string
  action?: AuditAction
  site?: string
  target?: string
  sites?: ReadonlySet<string>
  /** only records about a site (a non-admin's view) */
  withSite?: boolean
  limit: number
}
