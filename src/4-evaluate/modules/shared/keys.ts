// Condition keys of the rule modules: `${ruleId}|${siteCode}|${subject}`, one open alarm per key (types.ts).
// Built in one place so every module spells them the same way and a subject is always read back alike.

/** conditionKey names the condition of `ruleId` at `site` about `subject` (a point code, '*', `card:C1`, …). */
export function conditionKey (ruleId: string, site: string, subject: string): string {
  return `${ruleId}|${site}|${subject}`
}

/** SITE_SUBJECT is the subject of a condition about a whole site. */
export const SITE_SUBJECT = '*'

/** splitKey reads a key back; a subject may itself contain '|', so only the first two separate. */
export function splitKey (key: string): { ruleId: string, site: string, subject: string } {
  const a = key.indexOf('|')
  const b = key.indexOf('|', a + 1)
  return { ruleId: key.slice(0, a), site: key.slice(a + 1, b), subject: key.slice(b + 1) }
}
