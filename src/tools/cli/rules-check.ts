// `npm run rules:check [dir]`: validate the rule files without starting the server (like promtool check
// rules). Prints every error as file:line:column path message and exits 1; otherwise a summary and 0.
import { relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadConfig } from '../../server/config/load.js'
import { loadRules, type RuleFileError } from '../../4-evaluate/load-rules.js'

export const USAGE = 'usage: minewatch rules check [dir]\n  validates the rule files of dir (default MINEWATCH_RULES_DIR, else rules/): file:line:column path message, exit 1 on an error'

/** Output is where the checker writes (stdout and stderr in the CLI, buffers in a test). */
export interface Output {
  out: (line: string) => void
  err: (line: string) => void
  /** progress shows a passing status line (rewritten in place on a terminal); optional */
  progress?: (line: string) => void
}

/** rulesDir is the directory to check: the argument, else MINEWATCH_RULES_DIR through the config, else rules/. */
export function rulesDir (arg: string | undefined, io: Output): string {
  if (arg !== undefined) return arg
  try {
    return loadConfig().rulesDir
  } catch (err) {
    io.err(`warning: ${(err as Error).message}; checking rules/`)
    return 'rules'
  }
}

/** formatError renders one error as file:line:column path message. */
export function formatError (e: RuleFileError): string {
  return `${shown(e.file)}:${e.line}:${e.column} ${e.path === '' ? '(root)' : e.path} ${e.message}`
}

// relative to the working directory when inside it (short, and clickable in editors), else as given
function shown (path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' || rel.startsWith('..') ? path : rel
}

/** main checks the directory and returns the exit code. */
export async function main (argv: readonly string[], io: Output): Promise<number> {
  const dir = rulesDir(argv[0], io)
  const { rules, errors, files } = await loadRules(dir)
  if (errors.length > 0) {
    for (const e of errors) io.err(formatError(e))
    io.err(`${errors.length} error(s) in ${shown(dir)}`)
    return 1
  }
  io.out(`${rules.length} rules in ${files.length} files (${shown(dir)}): ok`)
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }
  process.exitCode = await main(process.argv.slice(2), io)
}
