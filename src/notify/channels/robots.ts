// The group robots Chinese duty rooms use, each with its own message format and, for DingTalk and Feishu, its
// own signature when the robot has a secret ("加签"):
// - DingTalk: sign = base64(HMAC-SHA256(key = secret, data = `${timestampMs}\n${secret}`)), sent URL-encoded
//   as the query parameters timestamp and sign; msgtype markdown.
// - WeCom (企业微信): msgtype markdown; the key is in the URL, there is no signature.
// - Feishu (飞书): sign = base64(HMAC-SHA256(key = `${timestampS}\n${secret}`, data = "")), sent in the body
//   with timestamp (seconds); msg_type post (a title and lines, the console link as a link).
// All three answer HTTP 200 with an error code in the body when they refuse a message: robotRefusal reads it.
import { createHmac } from 'node:crypto'
import { asMarkdown, type NotifyText } from '../text.js'

/** HttpRequest is a JSON POST to make. */
export interface HttpRequest { url: string, body: unknown }

/** dingtalkSign is DingTalk's signature of a timestamp (ms). */
export function dingtalkSign (timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64')
}

/** feishuSign is Feishu's signature of a timestamp (s): the string to sign is the HMAC key, the data is empty. */
export function feishuSign (timestampS: number, secret: string): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64')
}

/** dingtalkRequest is the markdown message, signed when the robot has a secret. */
export function dingtalkRequest (url: string, secret: string | undefined, t: NotifyText, now: number): HttpRequest {
  const body = { msgtype: 'markdown', markdown: { title: t.title, text: asMarkdown(t) } }
  if (secret === undefined) return { url, body }
  const signed = new URL(url)
  signed.searchParams.set('timestamp', String(now))
  signed.searchParams.set('sign', dingtalkSign(now, secret)) // URLSearchParams does the URL encoding
  return { url: signed.toString(), body }
}

/** wecomRequest is the markdown message. */
export function wecomRequest (url: string, t: NotifyText): HttpRequest {
  return { url, body: { msgtype: 'markdown', markdown: { content: asMarkdown(t) } } }
}

/** feishuRequest is the rich-text (post) message, signed when the robot has a secret. */
export function feishuRequest (url: string, secret: string | undefined, t: NotifyText, now: number): HttpRequest {
  const lines = t.fields.map(([k, v]) => [{ tag: 'text', text: `${k}：${v}` }])
  const post = { zh_cn: { title: t.title, content: [...lines, [{ tag: 'a', text: '在控制台查看', href: t.link }]] } }
  const body: Record<string, unknown> = { msg_type: 'post', content: { post } }
  if (secret !== undefined) {
    const ts = Math.floor(now / 1000)
    body.timestamp = String(ts)
    body.sign = feishuSign(ts, secret)
  }
  return { url, body }
}

/** robotRefusal is the error a robot's 200 answer carries (errcode / code other than 0), or undefined. */
export function robotRefusal (answer: unknown): string | undefined {
  if (answer === null || typeof answer !== 'object') return undefined
  const a = answer as Record<string, unknown>
  const code = a.errcode ?? a.code ?? a.StatusCode
  if (code === undefined || code === 0) return undefined
  return `robot error ${String(code)}: ${String(a.errmsg ?? a.msg ?? a.StatusMessage ?? '')}`
}
