// The evidence ledger's hash chain (docs/evidence.md). Each record's digest is SHA-256 over the previous record's
// digest (hex) followed by its canonical JSON body, so a record cannot be changed, removed or reordered without
// breaking its own digest or its successor's link. Pure: the writer (ledger.ts) and the verifier (verify.ts) share it.
import { createHash } from 'node:crypto'
import { canonicalJson } from '../../4-evaluate/canonical.js'

/** GENESIS is the prev digest of the first record. */
export const GENESIS = '0'.repeat(64)

/** EvidenceRow is one stored record as the verifier sees it. */
export interface EvidenceRow {
  seq: number
  alarmId: string
  site: string
  /** epoch ms when it was fixed */
  fixedAt: number
  /** the canonical JSON of the record's body */
  body: string
  sha256: string
  prevSha256: string
}

/** canonicalBody renders a body as the canonical JSON its digest covers. */
export function canonicalBody (body: unknown): string {
  return canonicalJson(body)
}

/** chainDigest is the digest of a record whose predecessor's digest is `prev`. */
export function chainDigest (prev: string, body: string): string {
  return createHash('sha256').update(prev, 'utf8').update(body, 'utf8').digest('hex')
}

/** sha256Hex is the plain digest of some bytes (the files of an export's manifest). */
export function sha256Hex (data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** ChainHead is where the next record links: the last seq (0: none yet) and its digest. */
export interface ChainHead { seq: number, sha256: string }

/** EMPTY_HEAD is the head of an empty ledger. */
export const EMPTY_HEAD: ChainHead = Object.freeze({ seq: 0, sha256: GENESIS })

/** NewRecord is what is known before the record is linked. */
export interface NewRecord { alarmId: string, site: string, fixedAt: number, body: unknown }

/** link makes the next record of the chain after `head`. */
export function link (head: ChainHead, r: NewRecord): EvidenceRow {
  const body = canonicalBody(r.body)
  return { seq: head.seq + 1, alarmId: r.alarmId, site: r.site, fixedAt: r.fixedAt, body, sha256: chainDigest(head.sha256, body), prevSha256: head.sha256 }
}
