// The people errors, from the one catalogue, with what the routes and the audit need to know about them.
import { InvalidBody, LoginLocked, LoginRefused } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import type { LoginFailure } from './service.js'

/** InvalidCredentials is a refused login (401); `failure` says why, for the audit only: the answer never does. */
export class InvalidCredentials extends LoginRefused {
  readonly failure: LoginFailure
  constructor ({ failure }: { failure: LoginFailure }) {
    super()
    this.failure = failure
  }
}

/** LockedOut is a login refused because the account is locked (429, with when to retry). */
export class LockedOut extends LoginLocked {
  readonly failure: LoginFailure = 'locked'
  readonly retryAfterS: number
  /** whether this very attempt locked the account */
  readonly lockedNow: boolean
  constructor (retryAfterMs: number, lockedNow = false) {
    super(Math.ceil(retryAfterMs / 60_000))
    this.retryAfterS = Math.max(1, Math.ceil(retryAfterMs / 1000))
    this.lockedNow = lockedNow
  }
}

/** userInputError is a 400 naming the body field at fault. */
export function userInputError (field: string, message: string): Error {
  return withDetails(new InvalidBody(`body/${field} ${message}`), [{ path: `/${field}`, message }])
}
