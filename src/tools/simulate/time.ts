// Time as the mines' gateways write it.

/** isoBeijing renders epoch ms as RFC 3339 in China Standard Time, as the mines' gateways send it. */
export function isoBeijing (ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00')
}
