// contract copy - docs/access-standard-v1.md is the users' contract, kept in the repository so it is reachable from
// a clone; where the users' shared/spec copy sits beside the repository (CI, the development machine), both are the
// same text, so the copy never drifts from the original.
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '../..')
const COPY = join(ROOT, 'docs/access-standard-v1.md')
const ORIGINAL = join(ROOT, '../shared/spec/access-standard-v1.md')

t.test('contract copy - the repository holds the access standard, the same text as the users\' original', async (t) => {
  const copy = readFileSync(COPY, 'utf8')
  t.match(copy, /access standard/i, 'the contract is in docs/')
  if (!existsSync(ORIGINAL)) {
    t.comment('shared/spec is not beside this clone: nothing to compare with')
    return
  }
  t.equal(copy, readFileSync(ORIGINAL, 'utf8'), 'docs/access-standard-v1.md is the original, verbatim')
})
