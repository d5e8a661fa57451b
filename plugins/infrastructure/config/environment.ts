// The environment's part of the configuration: the variables of SPEC §2, then SALIENT_<SECTION>__<KEY> for every key
// of the schema (nested keys joined by `__`, e.g. SALIENT_DATABASE__EMBEDDED__PORT), each parsed by its key's type:
// strings as they are, numbers and booleans by their words, `null` where the key allows it, arrays and objects as JSON.
// A value the key cannot take, or a SALIENT_ variable that names no key, stops the start with the variable's name.
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError } from './config-error.ts'
import type { PlainObject } from './deep-merge.ts'
import { ConfigSchema } from './schema.ts'

const PREFIX = 'SALIENT_'

/** The variables of SPEC §2 (and the secrets of §10–14) with the keys they set. */
const NAMED_VARIABLES: Array<[name: string, path: string[]]> = [
  ['DATABASE_URL', ['database', 'url']],
  ['OPENROUTER_API_KEY', ['llm', 'api_key']],
  ['OPENROUTER_BASE_URL', ['llm', 'base_url']],
  ['HOST', ['server', 'host']],
  ['PORT', ['server', 'port']],
  ['LOG_LEVEL', ['logging', 'level']],
  ['ADMIN_TOKEN', ['admin', 'token']],
  ['IDENTITY_SECRET', ['identity', 'secret']],
  ['SMTP_URL', ['mail', 'smtp_url']],
  ['REDIS_URL', ['redis', 'url']]
]

interface Leaf { path: string[], schema: TSchema }

/** Every settable key: the leaves of the schema's nested objects (a record, like llm.pricing, is one JSON value). */
function leaves (schema: TSchema, path: string[] = []): Leaf[] {
  const properties: Record<string, TSchema> | undefined = schema.type === 'object' ? schema.properties : undefined
  if (!properties || (path.length > 0 && Object.keys(properties).length === 0)) return [{ path, schema }]
  return Object.entries(properties).flatMap(([key, child]) => leaves(child, [...path, key]))
}

const LEAVES = leaves(ConfigSchema)
const BY_VARIABLE = new Map(LEAVES.map((leaf) => [variableName(leaf.path), leaf]))
const BY_KEY = new Map(LEAVES.map((leaf) => [leaf.path.join('.'), leaf]))

function variableName (path: string[]): string {
  return PREFIX + path.map((key) => key.toUpperCase()).join('__')
}

/** Every SALIENT_ variable and its key, for the README and .env.example. */
export const SETTING_VARIABLES = LEAVES.map((leaf) => ({ name: variableName(leaf.path), key: leaf.path.join('.') }))

const NO_MATCH = Symbol('no match')
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** The raw text read as the schema's type; NO_MATCH when it cannot be. A union takes the first member that fits. */
function parseAs (schema: TSchema, raw: string): unknown {
  if (Array.isArray(schema.anyOf)) {
    // `null` means null wherever a key allows it (a nullable string would otherwise take the word).
    const members = [...schema.anyOf as TSchema[]].sort((a, b) => Number(b.type === 'null') - Number(a.type === 'null'))
    for (const member of members) {
      const value = parseAs(member, raw)
      if (value !== NO_MATCH && Value.Check(member, value)) return value
    }
    return NO_MATCH
  }
  switch (schema.type) {
    case 'string': return raw
    case 'integer':
    case 'number': return NUMBER.test(raw.trim()) ? Number(raw) : NO_MATCH
    case 'boolean': return raw === 'true' ? true : raw === 'false' ? false : NO_MATCH
    case 'null': return raw === 'null' ? null : NO_MATCH
    default:
      try {
        return JSON.parse(raw)
      } catch {
        return NO_MATCH
      }
  }
}

function describe (schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map(describe).join(' or ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.type === 'null') return 'null'
  if (schema.type === 'array' || schema.type === 'object') return `a JSON ${schema.type}`
  const bounds = [schema.minimum !== undefined ? `≥ ${schema.minimum}` : '', schema.maximum !== undefined ? `≤ ${schema.maximum}` : '', schema.minLength ? `at least ${schema.minLength} characters` : '']
    .filter(Boolean).join(', ')
  return `${schema.type === 'integer' ? 'an integer' : `a ${schema.type}`}${bounds ? ` (${bounds})` : ''}`
}

/** The value of one variable for its key, or a ConfigError naming the variable. */
function valueFor (name: string, leaf: Leaf, raw: string): unknown {
  const value = parseAs(leaf.schema, raw)
  if (value !== NO_MATCH && Value.Check(leaf.schema, value)) return value
  throw new ConfigError(`Invalid environment variable ${name} (${leaf.path.join('.')}): expected ${describe(leaf.schema)}, got ${JSON.stringify(raw)}`)
}

export function environmentOverrides (env: NodeJS.ProcessEnv): PlainObject {
  const out: PlainObject = {}
  for (const [name, path] of NAMED_VARIABLES) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    setPath(out, path, valueFor(name, BY_KEY.get(path.join('.'))!, raw))
  }
  // After the named ones: SALIENT_DATABASE__URL is the more specific way to say DATABASE_URL.
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || raw === undefined || raw === '') continue
    const leaf = BY_VARIABLE.get(name)
    if (!leaf) throw new ConfigError(`Unknown environment variable ${name}: no configuration key ${name.slice(PREFIX.length).toLowerCase().replaceAll('__', '.')}`)
    setPath(out, leaf.path, valueFor(name, leaf, raw))
  }
  return out
}

function setPath (target: PlainObject, path: string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    node[key] ??= {}
    node = node[key] as PlainObject
  }
  node[path[path.length - 1]!] = value
}
