// What a roster read shows of its secrets: robot signing secrets, and the access tokens robot webhooks carry in
// their URL (DingTalk ?access_token=, WeCom ?key=, Feishu's hook path), are "******" in a GET, for viewers and
// supervisors alike. A roster put back as read keeps what is stored for each masked value: the same contact,
// channel kind and masked URL; a "******" that matches nothing stored is refused, naming the field.
import { InvalidBody } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import type { Channel, Roster } from './types.js'

/** REDACTED stands for a secret in a GET. */
export const REDACTED = '******'

// query parameters that carry a credential in the webhooks duty rooms use
const SECRET_PARAM = /token|key|secret|sign|auth|pass|ticket/i

/** maskUrl hides a URL's credentials: secret-looking query values, and a Feishu hook's token path segment. */
export function maskUrl (kind: Channel['kind'], url: string): string {
  let u: URL
  try { u = new URL(url) } catch { return url }
  if (u.username !== '' || u.password !== '') { u.username = REDACTED; u.password = '' }
  for (const [name] of [...u.searchParams]) if (SECRET_PARAM.test(name)) u.searchParams.set(name, REDACTED)
  if (kind === 'feishu') u.pathname = u.pathname.replace(/\/hook\/[^/]+$/, `/hook/${REDACTED}`)
  // URLSearchParams encodes "*" as-is, so the mask stays readable
  return u.toString()
}

function maskChannel (ch: Channel): Channel {
  if (ch.kind === 'email') return ch
  const masked = { ...ch, url: maskUrl(ch.kind, ch.url) }
  return 'secret' in masked && masked.secret !== undefined ? { ...masked, secret: REDACTED } : masked
}

/** redact returns the roster with its secrets hidden. */
export function redact (r: Roster): Roster {
  return { ...r, shifts: r.shifts.map((s) => ({ ...s, contacts: s.contacts.map((c) => ({ ...c, channels: c.channels.map(maskChannel) })) })) }
}

/** keepSecrets puts the stored secret back for every value given as read (masked); throws 400 for one it cannot. */
export function keepSecrets (r: Roster, stored: Roster | undefined): void {
  const kept = new Map<string, Channel>()
  for (const s of stored?.shifts ?? []) {
    for (const c of s.contacts) for (const ch of c.channels) if (ch.kind !== 'email') kept.set(JSON.stringify([c.name, ch.kind, maskUrl(ch.kind, ch.url)]), ch)
  }
  r.shifts.forEach((s, i) => s.contacts.forEach((c, j) => c.channels.forEach((ch, k) => {
    if (ch.kind === 'email') return
    const path = `/shifts/${i}/contacts/${j}/channels/${k}`
    const original = kept.get(JSON.stringify([c.name, ch.kind, maskUrl(ch.kind, ch.url)]))
    if (ch.url.includes(REDACTED)) {
      if (original === undefined) refuse(`${path}/url`, 'give the webhook\'s full address: no stored one matches this masked one')
      ch.url = (original as Channel & { url: string }).url
    }
    if ('secret' in ch && ch.secret === REDACTED) {
      const secret = original !== undefined && 'secret' in original ? original.secret : undefined
      if (secret === undefined) refuse(`${path}/secret`, 'give the robot\'s secret')
      ch.secret = secret
    }
  })))
}

function refuse (path: string, message: string): never {
  throw withDetails(new InvalidBody(`${path} is "${REDACTED}" but ${message}`), [{ path, message }])
}
