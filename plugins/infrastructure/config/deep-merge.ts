export type PlainObject = Record<string, unknown>

function isPlainObject (value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Lays `over` on `base`: nested mappings merge key by key; anything else (arrays included) replaces. */
export function deepMerge (base: PlainObject, over: PlainObject): PlainObject {
  const out: PlainObject = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const current = out[key]
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value
  }
  return out
}
