// Optimal-string-alignment distance (Levenshtein plus adjacent swaps), for typo-tolerant catalogue matching.
export function editDistance (a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prevPrev: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1)
      row.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > max) return max + 1
    prevPrev = prev
    prev = row
  }
  return prev[b.length] ?? max + 1
}

/** A typo of `word`: same first letter, one edit (two for long words); short words must match exactly. */
export function isTypoOf (typed: string, word: string): boolean {
  const max = word.length >= 10 ? 2 : 1
  if (word.length < 5 || typed[0] !== word[0] || typed === word || Math.abs(typed.length - word.length) > max) return false
  return editDistance(typed, word, max) <= max
}
