// Personnel positioning (access standard section 4) as the server keeps it: times in epoch ms, the site attached.
import type { Person } from '../../contract/index.js'

/** Role of a person underground. */
export type PersonRole = Person['role']

/** StoredPerson is one person of a snapshot. */
export interface StoredPerson {
  card: string
  role: PersonRole
  name?: string
  area?: string
  enteredAt?: number
}

/** StoredSnapshot is everyone underground at a site at ts, as stored; `people` is empty when nobody is. */
export interface StoredSnapshot {
  site: string
  ts: number
  headcount: number
  leaders: number
  people: StoredPerson[]
}

/** StoredEvent is one personnel event (an SOS) as stored. */
export interface StoredEvent {
  site: string
  type: 'sos'
  card: string
  area?: string
  ts: number
  receivedAt: number
}
