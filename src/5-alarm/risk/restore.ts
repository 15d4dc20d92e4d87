// What each site published last, read back from the risk stream at start: the seq to continue from, and the
// level and score the first change after a restart is compared with, so a restart neither repeats a change
// subscribers already have nor forgets to say that a site's risk ended while the server was down.
import type { NatsConnection, NatsError } from 'nats'
import { LEVELS, type Level } from '../../contract/index.js'
import { decodeToken, RISK_SUBJECT_PREFIX, RISK_SUBJECTS } from '../../6-publish/subjects.js'
import type { Published } from './service.js'

const STREAM_NOT_FOUND = 10059

/** lastPublished maps each site with a message in the stream to its last published change. */
export async function lastPublished (nc: NatsConnection, stream: string): Promise<Map<string, Published>> {
  const jsm = await nc.jetstreamManager()
  const out = new Map<string, Published>()
  let subjects: string[]
  try {
    const info = await jsm.streams.info(stream, { subjects_filter: RISK_SUBJECTS })
    subjects = Object.keys(info.state.subjects ?? {})
  } catch (err) {
    if ((err as NatsError).api_error?.err_code === STREAM_NOT_FOUND) return out
    throw err
  }
  for (const subject of subjects) {
    const m = await jsm.streams.getMessage(stream, { last_by_subj: subject })
    const body = m.json<{ seq?: unknown, level?: unknown, score?: unknown }>()
    if (typeof body.seq !== 'number' || typeof body.score !== 'number') continue
    const level = LEVELS.includes(body.level as Level) ? body.level as Level : null
    out.set(decodeToken(subject.slice(RISK_SUBJECT_PREFIX.length + 1)), { seq: body.seq, level, score: body.score })
  }
  return out
}
