// A rule's version is the hash of its content, so an alarm names exactly which rule text raised it and a
// reload can tell changed rules from unchanged ones, whatever the key order or formatting of the file.
import { createHash } from 'node:crypto'

/** canonicalJson renders a JSON value with object keys sorted at every depth. */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']'
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + canonicalJson((value as Record<string, unknown>)[k]))
    return '{' + entries.join(',') + '}'
  }
  return JSON.stringify(value)
}

/** ruleVersion is the first 12 hex digits of the sha256 of the rule's canonical JSON. */
export function ruleVersion (rule: unknown): string {
  return createHash('sha256').update(canonicalJson(rule)).digest('hex').slice(0, 12)
}
