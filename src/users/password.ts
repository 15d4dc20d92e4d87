// Passwords are stored only as Argon2id hashes (memory-hard: 19 MiB, 2 passes, the OWASP minimum), computed by
// a maintained native library off the event loop.
import { hash, verify, Algorithm } from '@node-rs/argon2'

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

/** PASSWORD_MIN and PASSWORD_MAX bound a password: long enough to resist guessing, short enough to hash cheaply. */
export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 256

/** hashPassword returns the PHC string of an Argon2id hash with a random salt. */
export async function hashPassword (password: string): Promise<string> {
  return await hash(password, OPTIONS)
}

/** verifyPassword tells whether `password` matches the stored hash; a malformed hash never matches. */
export async function verifyPassword (stored: string, password: string): Promise<boolean> {
  return await verify(stored, password).catch(() => false)
}

// An unknown username costs the same hash as a known one, so the answer time does not tell which names exist.
let dummy: Promise<string> | undefined

/** burnVerify spends one verification's time and answers false. */
export async function burnVerify (password: string): Promise<false> {
  dummy ??= hashPassword('not-a-password-of-anyone')
  await verifyPassword(await dummy, password)
  return false
}
