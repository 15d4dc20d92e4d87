// The generic webhook: the alarm message exactly as published on NATS (schemas/alarm-message.json), plus who
// it is for and why, so a receiver can route it. Delivery, for every HTTP channel, is a JSON POST with a
// timeout; a 2xx answer is delivered unless a robot says otherwise in its body.
import type { NotifyJob } from '../types.js'
import { robotRefusal, type HttpRequest } from './robots.js'

/** webhookRequest is the generic webhook's request. */
export function webhookRequest (url: string, job: NotifyJob): HttpRequest {
  return { url, body: { ...job.alarm, notification: { id: job.id, reason: job.reason, step: job.step, contact: job.contact } } }
}

/** SendResult is what one attempt got: an HTTP status, and an error when it was not delivered. */
export interface SendResult { status: number | null, error?: string }

/** postJson sends one request; it never throws (a network error is a result without a status). */
export async function postJson (req: HttpRequest, timeoutMs: number): Promise<SendResult> {
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(req.body),
      signal: AbortSignal.timeout(timeoutMs)
    })
    const text = await res.text()
    if (!res.ok) return { status: res.status, error: `HTTP ${res.status}: ${text.slice(0, 200)}` }
    const refusal = robotRefusal(parseOrNull(text))
    return refusal === undefined ? { status: res.status } : { status: res.status, error: refusal }
  } catch (err) {
    return { status: null, error: (err as Error).message.slice(0, 200) }
  }
}

function parseOrNull (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
