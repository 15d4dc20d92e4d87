// The expected/got diff a failed rule test reports.

/**
 * diff lines up expected and got (longest common subsequence): "  " both, "- " expected but not emitted,
 * "+ " emitted but not expected (with the engine's message, which shows the value).
 */
export function diff (expected: readonly string[], actual: ReadonlyArray<{ key: string, note: string }>): string[] {
  const n = expected.length
  const m = actual.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[]
      row[j] = expected[i] === actual[j]?.key ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0)
    }
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const e = expected[i]
    const a = actual[j]
    if (e !== undefined && a !== undefined && e === a.key) {
      out.push(`  ${e}`)
      i++
      j++
    } else if (e !== undefined && (a === undefined || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push(`- ${e}`)
      i++
    } else {
      out.push(`+ ${(a as { key: string }).key}    # ${(a as { note: string }).note}`)
      j++
    }
  }
  return out
}
