// The memory system message's shape (SPEC §11), shared by who writes it (the profile) and who reads it back (the
// offline model): a first line `Known about this customer:`, then one `field: value` line per known field.
export const MEMORY_HEADER = 'Known about this customer:'

/** The `field: value` lines of a memory message (what the offline model reads back). */
export function readMemory (content: string): Array<{ field: string, value: string }> {
  if (!content.startsWith(MEMORY_HEADER)) return []
  return content.slice(MEMORY_HEADER.length).split('\n').flatMap((line) => {
    const match = /^([a-z_]+): (.+)$/.exec(line.trim())
    return match?.[1] === undefined || match[2] === undefined ? [] : [{ field: match[1], value: match[2] }]
  })
}
