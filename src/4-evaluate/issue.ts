// The problem type every rule-file check reports: the schema check, the semantic checks, and each rule
// module's own `issues`. It lives on its own so that a module can report problems without importing the
// schema check, which itself imports every module (that was a type-only import loop through schema-check).

/** Issue is one problem found in a file: where (JSON pointer), what, and whether to point at the key. */
export interface Issue {
  path: string
  message: string
  /** locate the entry's key rather than its value (an unknown property has no meaningful value) */
  atKey?: boolean
}
