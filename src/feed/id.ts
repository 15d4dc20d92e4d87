// The feed's event id "<alarmSeq>-<riskSeq>": the JetStream stream sequences of the last alarm and the last risk
// message the connection has passed (delivered, or skipped as another site's). One id thus resumes both streams:
// a reconnect starts each of them right after its number, so nothing is missed and nothing doubled.

/** FeedPosition is where a connection stands in the alarm and the risk stream (0: before the first message). */
export interface FeedPosition { alarmSeq: number, riskSeq: number }

// Decimal, no sign, no leading zeros, at most 16 digits (JetStream sequences are uint64; ours stay far below 2^53).
const ID = /^(0|[1-9][0-9]{0,15})-(0|[1-9][0-9]{0,15})$/

/** formatFeedId renders a position as the SSE event id. */
export function formatFeedId (p: FeedPosition): string {
  return `${p.alarmSeq}-${p.riskSeq}`
}

/** parseFeedId reads an id back; undefined when it is not exactly of the form formatFeedId makes. */
export function parseFeedId (text: string): FeedPosition | undefined {
  const m = ID.exec(text.trim())
  if (m === null) return undefined
  const alarmSeq = Number(m[1])
  const riskSeq = Number(m[2])
  if (!Number.isSafeInteger(alarmSeq) || !Number.isSafeInteger(riskSeq)) return undefined
  return { alarmSeq, riskSeq }
}
