// Folders that ship beside the code, found both from src/ (tsx) and from dist/src/ (compiled).
import { join } from 'node:path'

/** projectRoot is the repository (or image) root. */
export function projectRoot (): string {
  const here = new URL('.', import.meta.url).pathname
  return here.includes('/dist/src/') ? join(here, '../../..') : join(here, '../..')
}

/** migrationsDir is migrations/ of the project. */
export function migrationsDir (): string {
  return join(projectRoot(), 'migrations')
}
