// Per-key serialisation: the changes of one condition key (and the actions on its alarm) run strictly one
// after another, because each one reads the state the previous one left. Different keys run concurrently,
// so an alarm storm shares the group-commit writes instead of queueing behind one QuestDB round-trip each.

/** KeyedSerializer runs tasks one at a time per key. */
export interface KeyedSerializer {
  /** run queues fn behind every earlier task of the same key and settles as fn does */
  run: <T>(key: string, fn: () => Promise<T>) => Promise<T>
  /** idle resolves once every task queued so far has settled */
  idle: () => Promise<void>
  /** size is the number of keys with work queued */
  readonly size: number
}

/** createKeyedSerializer returns an empty serializer. */
export function createKeyedSerializer (): KeyedSerializer {
  // The tail of each key's chain; it never rejects, so one failure does not poison the tasks behind it.
  const tails = new Map<string, Promise<void>>()
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const result = (tails.get(key) ?? Promise.resolve()).then(fn)
      const tail = result.then(() => {}, () => {})
      tails.set(key, tail)
      tail.then(() => { if (tails.get(key) === tail) tails.delete(key) }, () => {})
      return result
    },
    async idle () {
      await Promise.all([...tails.values()])
    },
    get size () { return tails.size }
  }
}
