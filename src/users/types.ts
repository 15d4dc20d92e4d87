// A named person who logs in to the console or the API (issue 9), as stored, and as the API shows them.
import type { PERSON_ROLES } from '../server/auth/roles.js'

/** PersonRole is the role of a named user: gateways keep their tokens and have no accounts. */
export type PersonRole = typeof PERSON_ROLES[number]

/** UserRecord is what the users bucket holds for one person. The hash never leaves the users folder. */
export interface UserRecord {
  username: string
  displayName: string
  role: PersonRole
  /** '*' for every site, else site codes */
  sites: string[]
  passwordHash: string
  /** a disabled user cannot log in and their sessions end */
  disabled: boolean
  /** failed logins in a row, reset by a successful one */
  failedLogins: number
  /** epoch ms until which logins are refused (0: not locked) */
  lockedUntil: number
  /** epoch ms */
  updatedAt: number
  /** bumped by a password change or a disable: sessions issued before are void */
  sessionEpoch: number
}

/** UserView is a user as answered by the API: no hash, no counters. */
export interface UserView {
  username: string
  displayName: string
  role: PersonRole
  sites: string[]
  disabled: boolean
  locked: boolean
  updatedAt: string
}

/** UserInput is what PUT /v1/users/:username sets; a new user needs a password. */
export interface UserInput {
  displayName: string
  role: PersonRole
  sites: string[]
  password?: string
  disabled?: boolean
}

/** SessionRecord is one login, stored under the SHA-256 of its token (the token itself is never stored). */
export interface SessionRecord {
  username: string
  createdAt: number
  expiresAt: number
  /** the user's sessionEpoch at login */
  epoch: number
}
