// The duty roster of a site and the notification jobs it produces (issue item 7). A roster is a list of shifts;
// each shift's contacts are in escalation order: the first is the person on duty, the ones after are who is
// notified when an alarm is not acknowledged in time (escalation step 1, 2, …).
import type { Category, Level } from '../contract/index.js'
import type { AlarmMessage } from '../contract/index.js'

/** ChannelKind names how a contact is reached. */
export type ChannelKind = 'webhook' | 'dingtalk' | 'wecom' | 'feishu' | 'email'

/** CHANNEL_KINDS lists them, for schemas and bounded metric labels. */
export const CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'dingtalk', 'wecom', 'feishu', 'email']

/** Channel is one way to reach a contact; robots with a secret sign their requests. */
export type Channel =
  | { kind: 'webhook', url: string }
  | { kind: 'dingtalk', url: string, secret?: string }
  | { kind: 'wecom', url: string }
  | { kind: 'feishu', url: string, secret?: string }
  | { kind: 'email', to: string }

/** Filter narrows what a shift or a contact is told about; absent lists mean "every". */
export interface Filter { levels?: Level[], categories?: Category[] }

/** Contact is one person (or one duty-room group robot) of a shift. */
export interface Contact extends Filter {
  name: string
  /** the minewatch user this contact is, when there is one */
  username?: string
  channels: Channel[]
}

/** Shift is when a group of contacts is on duty: weekdays (1 = Monday … 7 = Sunday) of its start, local times. */
export interface Shift extends Filter {
  name?: string
  days: number[]
  /** HH:MM local time; end ≤ start means the shift runs past midnight (equal: 24 hours) */
  start: string
  end: string
  contacts: Contact[]
}

/** Roster is a site's duty roster as stored and returned. */
export interface Roster {
  /** IANA time zone of the shift times (default config MINEWATCH_ROSTER_TZ, Asia/Shanghai) */
  timezone: string
  shifts: Shift[]
  /** set by the server */
  updatedAt?: string
  updatedBy?: string
}

/** NotifyReason is why a job was made: a raise, a higher level, a response deadline passed, a reminder. */
export type NotifyReason = 'raised' | 'level_up' | 'escalation' | 'repeat'

/** NotifyJob is one message to one contact over one channel: what the notify stream carries. */
export interface NotifyJob {
  /** the Nats-Msg-Id too: the same job planned twice (a restart) is stored once */
  id: string
  reason: NotifyReason
  /** escalation step the job belongs to (0: the person on duty) */
  step: number
  contact: string
  channel: Channel
  alarm: AlarmMessage
  /** server time of the moment the job stands for (epoch ms): the transition, or the repeat's time on the grid;
   * the same when a restart plans it again */
  plannedAt: number
}

/** DeliveryOutcome is how one attempt ended. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'gave_up'

/** Delivery is one recorded attempt (table notifications, migrations/010.do.notifications.sql). */
export interface Delivery {
  jobId: string
  alarmId: string
  site: string
  contact: string
  channel: ChannelKind
  reason: NotifyReason
  step: number
  attempt: number
  outcome: DeliveryOutcome
  status: number | null
  error: string | null
  at: number
}
