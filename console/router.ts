// Path routing under /console/ with the History API: the server answers index.html for every such path,
// so a link to an alarm's page can be opened, bookmarked and reloaded.
import { signal } from './signal.js'

export const BASE = '/console/'

// an address of the hash form (/console/#/alarms/<id>, as a bookmark may hold) opens the same page
if (location.hash.startsWith('#/')) history.replaceState(null, '', BASE + location.hash.slice(2))

export const path = signal(location.pathname)

export function go (to: string): void {
  if (to === location.pathname) return
  history.pushState(null, '', to)
  path.set(to)
  window.scrollTo(0, 0)
}

window.addEventListener('popstate', () => path.set(location.pathname))

/** onLink makes a plain <a href> navigate inside the app (a modified click still opens a new tab). */
export function onLink (e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  e.preventDefault()
  go(a.getAttribute('href') ?? BASE)
}

export type Route =
  | { page: 'board' }
  | { page: 'sites' }
  | { page: 'site', site: string, module: string | null }
  | { page: 'alarm', alarmId: string }

export function routeOf (p: string): Route {
  const parts = p.slice(BASE.length).split('/').filter((s) => s !== '').map(decodeURIComponent)
  if (parts[0] === 'sites' && parts[1] !== undefined) return { page: 'site', site: parts[1], module: parts[2] ?? null }
  if (parts[0] === 'sites') return { page: 'sites' }
  if (parts[0] === 'alarms' && parts[1] !== undefined) return { page: 'alarm', alarmId: parts[1] }
  return { page: 'board' }
}
