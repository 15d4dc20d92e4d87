// E-mail over SMTP (config MINEWATCH_SMTP_URL, e.g. smtps://user:pass@mail.example:465, and MINEWATCH_SMTP_FROM)
// through nodemailer: one pooled transport, closed with the plugin.
import nodemailer, { type Transporter } from 'nodemailer'
import { asPlain, type NotifyText } from '../text.js'
import type { SendResult } from './webhook.js'

/** Mailer sends one notification mail. */
export interface Mailer {
  send: (to: string, t: NotifyText) => Promise<SendResult>
  close: () => void
}

/** mailOf is the mail a text becomes. */
export function mailOf (from: string, to: string, t: NotifyText): { from: string, to: string, subject: string, text: string } {
  return { from, to, subject: t.title, text: asPlain(t) }
}

/** createMailer returns a mailer over `url`; it never throws (a refused mail is a result with an error). */
export function createMailer (url: string, from: string, timeoutMs: number): Mailer {
  const transport: Transporter = nodemailer.createTransport(url, {
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs
  } as never)
  return {
    async send (to, t) {
      try {
        await transport.sendMail(mailOf(from, to, t))
        return { status: null }
      } catch (err) {
        const e = err as Error & { responseCode?: number }
        return { status: e.responseCode ?? null, error: e.message.slice(0, 200) }
      }
    },
    close: () => transport.close()
  }
}
