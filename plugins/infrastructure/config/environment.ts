// The environment variables of SPEC §2 and the configuration keys they override.
import { ConfigError } from './config-error.ts'
import type { PlainObject } from './deep-merge.ts'

type Parse = (raw: string, name: string) => unknown

const asString: Parse = (raw) => raw
const asPort: Parse = (raw, name) => {
  if (!/^\d{1,5}$/.test(raw)) throw new ConfigError(`Invalid environment variable ${name}: "${raw}" is not a port number`)
  return Number(raw)
}

const ENV_KEYS: Array<[name: string, path: string[], parse: Parse]> = [
  ['DATABASE_URL', ['database', 'url'], asString],
  ['OPENROUTER_API_KEY', ['llm', 'api_key'], asString],
  ['OPENROUTER_BASE_URL', ['llm', 'base_url'], asString],
  ['HOST', ['server', 'host'], asString],
  ['PORT', ['server', 'port'], asPort],
  ['LOG_LEVEL', ['logging', 'level'], asString],
  ['ADMIN_TOKEN', ['admin', 'token'], asString],
  ['IDENTITY_SECRET', ['identity', 'secret'], asString],
  ['SMTP_URL', ['mail', 'smtp_url'], asString],
  ['REDIS_URL', ['redis', 'url'], asString]
]

export function environmentOverrides (env: NodeJS.ProcessEnv): PlainObject {
  const out: PlainObject = {}
  for (const [name, path, parse] of ENV_KEYS) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    setPath(out, path, parse(raw, name))
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
