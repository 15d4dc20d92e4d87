// Who is logged in on this screen: GET /v1/session at start, POST to log in, DELETE to log out. The token
// stays in the HttpOnly cookie; the page only knows the user.
import { api, ApiError } from './api.js'
import { signal } from './signal.js'
import { connect, disconnect, whenSignedOut } from './store.js'
import { setMutedUntil } from './sound.js'

export interface User { username: string, displayName: string, role: string, sites: string[] | '*' }

/** user: undefined while unknown, null when logged out. */
export const user = signal<User | null | undefined>(undefined)

export async function restore (): Promise<void> {
  try {
    const s = await api<{ user: User }>('GET', '/v1/session')
    user.set(s.user)
    connect()
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) user.set(null)
    else throw err
  }
}

export async function logIn (username: string, password: string): Promise<void> {
  const s = await api<{ user: User }>('POST', '/v1/session', { username, password })
  user.set(s.user)
  connect()
}

export async function logOut (): Promise<void> {
  await api('DELETE', '/v1/session').catch(() => undefined)
  signedOut()
}

// The mute belonged to the person who set it: the next one on this screen starts with sound.
function signedOut (): void {
  disconnect()
  setMutedUntil(0)
  user.set(null)
}
whenSignedOut(signedOut)

export function may (what: 'handle' | 'supervise'): boolean {
  const role = user.get()?.role ?? ''
  return what === 'handle' ? ['operator', 'supervisor', 'admin'].includes(role) : ['supervisor', 'admin'].includes(role)
}
