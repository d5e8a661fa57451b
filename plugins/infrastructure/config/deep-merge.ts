import { ConfigError } from './config-error.ts'

export type PlainObject = Record<string, unknown>

function isPlainObject (value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Lays `over` on `base`: nested mappings merge key by key; anything else (arrays included) replaces. A `__proto__`
 * key is refused as unknown: assigned, it would replace the merged object's prototype, and the schema check, which
 * sees only own keys, would never report it.
 */
export function deepMerge (base: PlainObject, over: PlainObject, at = ''): PlainObject {
  const out: PlainObject = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const path = at === '' ? key : `${at}.${key}`
    if (key === '__proto__') throw new ConfigError(`Invalid configuration: unknown key "${path}"`)
    const current = out[key]
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value, path) : value
  }
  return out
}
