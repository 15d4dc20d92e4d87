// The JetStream stream that captures every alarm subject, so a subscriber that was down gets what it missed
// (section 6). Its duplicate window is what turns a republish of the same Nats-Msg-Id into a no-op.
import { nanos, RetentionPolicy, StorageType, type NatsConnection, type NatsError, type StreamConfig } from 'nats'
import type { Log } from '../lib/log.js'

/** StreamOptions name the stream, the subjects it captures and its duplicate window in seconds. */
export interface StreamOptions {
  stream: string
  subjects: string
  duplicateWindowS: number
  /** keep at most this many messages per subject (unset: no limit) */
  maxMsgsPerSubject?: number
  /** work queue: a message leaves the stream once a consumer acknowledged it (set at creation; default limits) */
  workQueue?: boolean
  /** messages older than this many seconds are removed (unset: kept) */
  maxAgeS?: number
}

const STREAM_NOT_FOUND = 10059

/** ensureStream creates the stream, or updates its subjects and duplicate window when they differ. */
export async function ensureStream (nc: NatsConnection, o: StreamOptions, log: Log): Promise<void> {
  const jsm = await nc.jetstreamManager()
  const want: Partial<StreamConfig> = { subjects: [o.subjects], duplicate_window: nanos(o.duplicateWindowS * 1000) }
  if (o.maxMsgsPerSubject !== undefined) want.max_msgs_per_subject = o.maxMsgsPerSubject
  if (o.maxAgeS !== undefined) want.max_age = nanos(o.maxAgeS * 1000)
  let config: StreamConfig
  try {
    config = (await jsm.streams.info(o.stream)).config
  } catch (err) {
    if ((err as NatsError).api_error?.err_code !== STREAM_NOT_FOUND) throw err
    // the retention policy of a stream cannot change once created, so it is only ever set here
    const retention = o.workQueue === true ? RetentionPolicy.Workqueue : RetentionPolicy.Limits
    await jsm.streams.add({ name: o.stream, storage: StorageType.File, retention, ...want })
    log.info({ stream: o.stream, subjects: o.subjects, duplicateWindowS: o.duplicateWindowS, maxAgeS: o.maxAgeS }, 'created the JetStream stream')
    return
  }
  if (config.storage !== StorageType.File) {
    // Storage cannot be changed in place; say so instead of silently running on memory.
    log.warn({ stream: o.stream, storage: config.storage }, 'the stream is not file-backed: its messages would not survive a NATS restart')
  }
  const sameSubjects = config.subjects?.length === 1 && config.subjects[0] === o.subjects
  const sameLimit = o.maxMsgsPerSubject === undefined || config.max_msgs_per_subject === o.maxMsgsPerSubject
  const sameAge = o.maxAgeS === undefined || config.max_age === want.max_age
  if (sameSubjects && sameLimit && sameAge && config.duplicate_window === want.duplicate_window) return
  await jsm.streams.update(o.stream, { ...config, ...want })
  log.info({ stream: o.stream, subjects: o.subjects, duplicateWindowS: o.duplicateWindowS, maxAgeS: o.maxAgeS }, 'updated the JetStream stream')
}
