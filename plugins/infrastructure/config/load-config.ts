// Builds the validated configuration: app.yaml, then the APP_CONFIG overlay, then test overrides, then the environment.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { Value } from '@sinclair/typebox/value'
import { ConfigSchema, type Config } from './schema.ts'
import { deepMerge, type PlainObject } from './deep-merge.ts'
import { environmentOverrides } from './environment.ts'
import { ConfigError } from './config-error.ts'
import { PROJECT_ROOT } from '../project-root.ts'
import { checkAllowedOrigins } from './allowed-origins.ts'

export { ConfigError }

export interface LoadConfigOptions {
  /** The base file; default `app.yaml` beside package.json. */
  file?: string
  /** Environment to read overrides and APP_CONFIG from; default process.env. */
  env?: NodeJS.ProcessEnv
  /** Laid over the files before the environment is applied (tests use it). */
  overrides?: PlainObject
}

export const DEFAULT_CONFIG_FILE = resolve(PROJECT_ROOT, 'app.yaml')

export function loadConfig (options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env
  let raw = readYamlObject(options.file ?? DEFAULT_CONFIG_FILE)
  if (env.APP_CONFIG) raw = deepMerge(raw, readYamlObject(resolve(env.APP_CONFIG)))
  if (options.overrides) raw = deepMerge(raw, options.overrides)
  raw = deepMerge(raw, environmentOverrides(env))
  return validateConfig(raw)
}

/** EX_CONFIG (sysexits.h): what a command-line entry point exits with when its configuration is wrong. */
export const EX_CONFIG = 78

/**
 * For command-line entry points: the configuration, or null once the reason it is wrong has been written to stderr
 * (the caller exits with EX_CONFIG). Anything other than a configuration error is thrown on.
 */
export function loadConfigOrReport (): Config | null {
  try {
    return loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\n`)
    return null
  }
}

export function validateConfig (raw: unknown): Config {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw))
  const first = Value.Errors(ConfigSchema, withDefaults).First()
  if (first) {
    const key = first.path.replace(/^\//, '').replaceAll('/', '.') || '(root)'
    const unknownKey = first.message.includes('additional') || first.message.includes('Unexpected property')
    throw new ConfigError(unknownKey
      ? `Invalid configuration: unknown key "${key}"`
      : `Invalid configuration at "${key}": ${describeExpected(first.schema as { anyOf?: Array<{ const?: unknown }> }) ?? first.message} (got ${JSON.stringify(first.value)})`)
  }
  const config = withDefaults as Config
  checkAllowedOrigins(config.embed.allowed_origins)
  return config
}

function describeExpected (schema: { anyOf?: Array<{ const?: unknown }> }): string | null {
  const options = schema.anyOf?.map((option) => option.const).filter((value) => value !== undefined)
  return options?.length ? `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}` : null
}

function readYamlObject (file: string): PlainObject {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`Cannot read configuration file ${file}: ${(err as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = parseYaml(text)
  } catch (err) {
    throw new ConfigError(`Configuration file ${file} is not valid YAML: ${(err as Error).message}`)
  }
  if (parsed == null) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`Configuration file ${file} must hold a mapping`)
  return parsed as PlainObject
}
