// Who may do what. A gateway posts data; people watch (viewer), handle alarms (operator, 值班员), approve
// what needs two people (supervisor, 带班领导) or administer (admin). Each role may do everything the roles
// before it in its line may: routes name one of these sets instead of listing roles, so a new role is one edit.

/** Role is what a token or a person may do. */
export type Role = 'gateway' | 'viewer' | 'operator' | 'supervisor' | 'admin'

/** ROLE_NAMES lists every role, for schemas. */
export const ROLE_NAMES = ['gateway', 'viewer', 'operator', 'supervisor', 'admin'] as const satisfies readonly Role[]

/** PERSON_ROLES are the roles a named user account may have (gateways keep their tokens). */
export const PERSON_ROLES = ['viewer', 'operator', 'supervisor', 'admin'] as const satisfies readonly Role[]

/** READ_DATA may read registry and readings of its sites: people and gateways. */
export const READ_DATA: readonly Role[] = ['gateway', 'viewer', 'operator', 'supervisor', 'admin']
/** WRITE_DATA may post measurements. */
export const WRITE_DATA: readonly Role[] = ['gateway', 'admin']
/** WATCH may see alarms, risk, the live feed, evidence and the audit of its sites. */
export const WATCH: readonly Role[] = ['viewer', 'operator', 'supervisor', 'admin']
/** HANDLE may act on alarms: acknowledge, dispatch, close, shelve, mute. */
export const HANDLE: readonly Role[] = ['operator', 'supervisor', 'admin']
/** SUPERVISE may approve what needs a second person (shelving a red alarm) and open maintenance windows. */
export const SUPERVISE: readonly Role[] = ['supervisor', 'admin']
/** ADMIN may write the registry, reload rules and manage users. */
export const ADMIN: readonly Role[] = ['admin']
