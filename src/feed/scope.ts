// Which feed messages a caller may see: those of its sites. The site is read from the subject
// (minewatch.alarm.<site>.<category>.<level>, minewatch.risk.<site>; subjects.ts escapes it into one token), so
// a message is judged without parsing its body. A subject that cannot be read is shown to no one.
import { decodeToken } from '../6-publish/subjects.js'
import { canAccessSite, type Principal } from '../server/auth/tokens.js'

/** siteOfSubject is the site code an alarm or risk subject carries, or undefined when it has none. */
export function siteOfSubject (subject: string): string | undefined {
  const token = subject.split('.')[2]
  if (token === undefined || token === '') return undefined
  try {
    return decodeToken(token)
  } catch {
    return undefined // a broken percent escape: not a subject we built
  }
}

/** visibleTo tells whether the caller may see the message published on `subject`. */
export function visibleTo (principal: Principal, subject: string): boolean {
  const site = siteOfSubject(subject)
  return site !== undefined && canAccessSite(principal, site)
}
