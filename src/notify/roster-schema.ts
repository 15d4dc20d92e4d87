// The body of PUT /v1/sites/:site/roster, checked strictly: the schema catches shapes (times HH:MM, http(s)
// URLs, e-mail addresses, known levels and categories), checkRoster what a schema cannot (a real time zone,
// a URL that parses). Both answer 400 with the path of the offending field.
import { InvalidBody } from '../server/errors/catalogue.js'
import { withDetails } from '../server/plugins/errors.js'
import { schemaId } from '../server/plugins/schemas.js'
import type { Roster } from './types.js'

const common = schemaId('common.json')
const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$'
const HTTP_URL = { type: 'string', maxLength: 2000, pattern: '^https?://[^\\s]+$' }
const SECRET = { type: 'string', minLength: 1, maxLength: 200 }
const filters = {
  levels: { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: `${common}#/definitions/Level` } },
  categories: { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: `${common}#/definitions/Category` } }
}
const channel = (kind: string, props: Record<string, unknown>, required: string[]): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  required: ['kind', ...required],
  properties: { kind: { const: kind }, ...props }
})

/** CHANNEL_SCHEMA is one channel; `kind` picks which of the forms applies. */
const CHANNEL_SCHEMA = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['webhook', 'dingtalk', 'wecom', 'feishu', 'email'] } },
  // if/then instead of oneOf: an error names the field of the form the kind chose, not every form's
  allOf: [
    { if: { properties: { kind: { const: 'webhook' } } }, then: channel('webhook', { url: HTTP_URL }, ['url']) },
    { if: { properties: { kind: { const: 'dingtalk' } } }, then: channel('dingtalk', { url: HTTP_URL, secret: SECRET }, ['url']) },
    { if: { properties: { kind: { const: 'wecom' } } }, then: channel('wecom', { url: HTTP_URL }, ['url']) },
    { if: { properties: { kind: { const: 'feishu' } } }, then: channel('feishu', { url: HTTP_URL, secret: SECRET }, ['url']) },
    { if: { properties: { kind: { const: 'email' } } }, then: channel('email', { to: { type: 'string', format: 'email', maxLength: 254 } }, ['to']) }
  ]
}

const CONTACT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'channels'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    username: { type: 'string', minLength: 1, maxLength: 64 },
    channels: { type: 'array', minItems: 1, maxItems: 10, items: CHANNEL_SCHEMA },
    ...filters
  }
}

const SHIFT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['days', 'start', 'end', 'contacts'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    days: { type: 'array', minItems: 1, maxItems: 7, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 7 } },
    start: { type: 'string', pattern: HHMM },
    end: { type: 'string', pattern: HHMM },
    contacts: { type: 'array', minItems: 1, maxItems: 50, items: CONTACT_SCHEMA },
    ...filters
  }
}

/** ROSTER_BODY is the schema of a roster as PUT. */
export const ROSTER_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['shifts'],
  properties: {
    timezone: { type: 'string', minLength: 1, maxLength: 64 },
    shifts: { type: 'array', maxItems: 50, items: SHIFT_SCHEMA }
  }
}

/** checkRoster refuses what the schema lets through: an unknown time zone, a URL that does not parse. */
export function checkRoster (r: Roster): void {
  const refuse = (path: string, message: string): never => {
    throw withDetails(new InvalidBody(`${path} ${message}`), [{ path, message }])
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: r.timezone }).format(0)
  } catch {
    refuse('/timezone', `is not a known IANA time zone: "${r.timezone}"`)
  }
  r.shifts.forEach((s, i) => s.contacts.forEach((c, j) => c.channels.forEach((ch, k) => {
    if (ch.kind === 'email') return
    if (!URL.canParse(ch.url)) refuse(`/shifts/${i}/contacts/${j}/channels/${k}/url`, 'is not a valid http(s) URL')
  })))
}
