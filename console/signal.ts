// A value that views subscribe to: the console's few pieces of shared state (language, alarms, sound) without
// a state library. `use` re-renders a component when the value changes.
import { useEffect, useState } from 'preact/hooks'

export interface Signal<T> {
  get: () => T
  set: (v: T) => void
  subscribe: (fn: (v: T) => void) => () => void
  use: () => T
}

export function signal<T> (initial: T): Signal<T> {
  let value = initial
  const subscribers = new Set<(v: T) => void>()
  const s: Signal<T> = {
    get: () => value,
    set: (v) => {
      value = v
      for (const fn of subscribers) fn(v)
    },
    subscribe: (fn) => {
      subscribers.add(fn)
      return () => { subscribers.delete(fn) }
    },
    use: () => {
      const [, render] = useState(0)
      useEffect(() => s.subscribe(() => render((n) => n + 1)), [])
      return value
    }
  }
  return s
}
