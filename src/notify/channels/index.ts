// Delivers one job over its channel: the text is made once, each channel formats and sends it.
import { notifyText, type TextOptions } from '../text.js'
import type { NotifyJob } from '../types.js'
import type { Mailer } from './email.js'
import { dingtalkRequest, feishuRequest, wecomRequest } from './robots.js'
import { postJson, webhookRequest, type SendResult } from './webhook.js'

export type { SendResult } from './webhook.js'

/** ChannelDeps are what delivery needs: the mailer (undefined: SMTP not configured), timeouts, the text options. */
export interface ChannelDeps {
  mailer: Mailer | undefined
  timeoutMs: number
  text: TextOptions
  now: () => number
}

/** deliver sends a job once; it never throws. */
export async function deliver (job: NotifyJob, d: ChannelDeps): Promise<SendResult> {
  const t = notifyText(job, d.text)
  const ch = job.channel
  switch (ch.kind) {
    case 'webhook': return await postJson(webhookRequest(ch.url, job), d.timeoutMs)
    case 'dingtalk': return await postJson(dingtalkRequest(ch.url, ch.secret, t, d.now()), d.timeoutMs)
    case 'wecom': return await postJson(wecomRequest(ch.url, t), d.timeoutMs)
    case 'feishu': return await postJson(feishuRequest(ch.url, ch.secret, t, d.now()), d.timeoutMs)
    case 'email':
      if (d.mailer === undefined) return { status: null, error: 'e-mail is not configured (MINEWATCH_SMTP_URL)' }
      return await d.mailer.send(ch.to, t)
  }
}
