import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadConfig, ConfigError } from '../../../../plugins/infrastructure/config/load-config.ts'
import { SETTING_VARIABLES } from '../../../../plugins/infrastructure/config/environment.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'salient-config-'))
function yamlFile (name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

t.test('app.yaml loads with the SPEC defaults', async (t) => {
  const config = loadConfig({ env: {} })
  t.equal(config.app.name, 'Salient')
  t.same(config.server, { host: '127.0.0.1', port: 8000, body_limit_bytes: 65536, trust_proxy: false, shutdown_grace_ms: 10000 })
  t.equal(config.database.url, null)
  t.same(config.database.embedded, { data_dir: '.data/postgres', port: 54329 })
  t.equal(config.session.cookie_name, 'salient_session')
  t.equal(config.session.cookie_max_age, 604800)
  t.equal(config.llm.model, 'openai/gpt-oss-20b')
  t.equal(config.llm.on_client_disconnect, 'finish')
  t.same(config.llm.pricing?.['openai/gpt-oss-20b'], { prompt_per_million: 0.03, completion_per_million: 0.14 })
  t.equal(config.chat.history_limit, 50)
  t.equal(config.profile.default_region, 'US')
  t.same(config.ui, { sse_enabled: true, allow_basic_html: true, dev_diagnostics: true, submit_shortcut: 'enter', enter_inserts_newline: false })
})

t.test('a minimal file gets every default', async (t) => {
  const config = loadConfig({ file: yamlFile('empty.yaml', ''), env: {} })
  t.equal(config.server.port, 8000)
  t.equal(config.chat.rate_limit.per_ip_per_minute, 120)
})

t.test('environment variables override the file', async (t) => {
  const config = loadConfig({
    env: {
      DATABASE_URL: 'postgres://u@h/db',
      OPENROUTER_API_KEY: 'sk-or-test',
      OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
      HOST: '0.0.0.0',
      PORT: '9001',
      LOG_LEVEL: 'debug',
      ADMIN_TOKEN: 'an-admin-token-long-enough'
    }
  })
  t.equal(config.database.url, 'postgres://u@h/db')
  t.equal(config.llm.api_key, 'sk-or-test')
  t.equal(config.llm.base_url, 'http://127.0.0.1:9/api/v1')
  t.equal(config.server.host, '0.0.0.0')
  t.equal(config.server.port, 9001)
  t.equal(config.logging.level, 'debug')
  t.equal(config.admin.token, 'an-admin-token-long-enough')
})

t.test('APP_CONFIG is laid over app.yaml key by key', async (t) => {
  const overlay = yamlFile('overlay.yaml', 'server:\n  port: 9100\nllm:\n  pricing:\n    "x/y": { prompt_per_million: 1, completion_per_million: 2 }\n')
  const config = loadConfig({ env: { APP_CONFIG: overlay } })
  t.equal(config.server.port, 9100)
  t.equal(config.server.host, '127.0.0.1', 'keys the overlay does not name keep their values')
  t.ok(config.llm.pricing?.['openai/gpt-oss-20b'], 'nested maps merge')
  t.ok(config.llm.pricing?.['x/y'])
})

t.test('every way the configuration can be wrong names the key', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['wrong type', 'server:\n  port: eighty\n', /server\.port/],
    ['unknown top-level key', 'nonsense: 1\n', /unknown key "nonsense"/],
    ['unknown nested key', 'session:\n  cookie_nam: x\n', /unknown key "session\.cookie_nam"/],
    ['value out of range', 'server:\n  port: 70000\n', /server\.port/],
    ['not one of the allowed values', 'llm:\n  on_client_disconnect: later\n', /llm\.on_client_disconnect.*"finish", "abort"/],
    ['wrong type deep in a map', 'llm:\n  pricing:\n    m: { prompt_per_million: cheap, completion_per_million: 1 }\n', /llm\.pricing\.m\.prompt_per_million/],
    ['negative number', 'chat:\n  max_message_chars: -1\n', /chat\.max_message_chars/],
    ['a list where a map belongs', 'server: [1, 2]\n', /server/]
  ]
  for (const [label, yaml, pattern] of cases) {
    t.throws(() => loadConfig({ file: yamlFile(`bad-${label.replaceAll(' ', '-')}.yaml`, yaml), env: {} }), pattern, label)
  }
  t.throws(() => loadConfig({ file: yamlFile('not-yaml.yaml', 'server: [unclosed\n'), env: {} }), /not valid YAML/)
  t.throws(() => loadConfig({ file: path.join(dir, 'missing.yaml'), env: {} }), /Cannot read configuration file/)
  t.throws(() => loadConfig({ env: { PORT: 'http' } }), /PORT/)
  t.throws(() => loadConfig({ env: { LOG_LEVEL: 'loud' } }), /logging\.level/)
  t.throws(() => loadConfig({ file: yamlFile('scalar.yaml', '42\n'), env: {} }), ConfigError)
})

t.test('the server and the purge command stop with EX_CONFIG (78), naming the key, on a wrong configuration', async (t) => {
  const overlay = yamlFile('bad-port.yaml', 'server:\n  port: "nope"\n')
  const root = path.join(import.meta.dirname, '../../../..')
  for (const entry of [['src/server.ts'], ['src/cli/purge.ts', '--idle-days', '3']]) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', ...entry], { cwd: root, env: { ...process.env, APP_CONFIG: overlay }, encoding: 'utf8', timeout: 120_000 })
    t.equal(run.status, 78, `${entry[0]} exits 78`)
    t.match(run.stderr, /server\.port/, `${entry[0]} names the key`)
  }
})

t.test('SALIENT_<SECTION>__<KEY> sets any key, parsed by its type', async (t) => {
  const config = loadConfig({
    env: {
      SALIENT_SESSION__COOKIE_SECURE: 'true',
      SALIENT_SERVER__TRUST_PROXY: 'false',
      SALIENT_DATABASE__POOL_SIZE: '7',
      SALIENT_DATABASE__EMBEDDED__PORT: '54400',
      SALIENT_DATABASE__MIGRATE_ON_START: 'auto',
      SALIENT_DATABASE__PREPARED_STATEMENTS: 'false',
      SALIENT_LLM__TEMPERATURE: '0.7',
      SALIENT_LLM__SYSTEM_PROMPT: 'You are terse. 42',
      SALIENT_LLM__RECONCILE_DELAYS_MS: '[100, 200]',
      SALIENT_LLM__PRICING: '{"a/b": {"prompt_per_million": 1, "completion_per_million": 2}}',
      SALIENT_EMBED__ALLOWED_ORIGINS: '["https://example.com"]',
      SALIENT_RETENTION__IDLE_DAYS: '30',
      SALIENT_METRICS__PORT: 'null',
      SALIENT_CHAT__RATE_LIMIT__PER_IP_PER_MINUTE: '500',
      SALIENT_UI__DEV_DIAGNOSTICS: 'false'
    }
  })
  t.equal(config.session.cookie_secure, true)
  t.equal(config.server.trust_proxy, false)
  t.equal(config.database.pool_size, 7)
  t.equal(config.database.embedded.port, 54400)
  t.equal(config.database.embedded.data_dir, '.data/postgres', 'a sibling key keeps its value')
  t.equal(config.database.migrate_on_start, 'auto')
  t.equal(config.database.prepared_statements, false)
  t.equal(config.llm.temperature, 0.7)
  t.equal(config.llm.system_prompt, 'You are terse. 42', 'a string stays a string')
  t.same(config.llm.reconcile_delays_ms, [100, 200])
  t.same(config.llm.pricing?.['a/b'], { prompt_per_million: 1, completion_per_million: 2 }, 'an object is laid over the map, as APP_CONFIG is')
  t.ok(config.llm.pricing?.['openai/gpt-oss-20b'])
  t.equal(loadConfig({ env: { SALIENT_DATABASE__URL: 'null', DATABASE_URL: 'postgres://u@h/db' } }).database.url, null, 'the word null is null where the key allows it')
  t.same(config.embed.allowed_origins, ['https://example.com'])
  t.equal(config.retention.idle_days, 30)
  t.equal(config.metrics.port, null)
  t.equal(config.chat.rate_limit.per_ip_per_minute, 500)
  t.equal(config.ui.dev_diagnostics, false)
  t.equal(loadConfig({ env: { SALIENT_DATABASE__MIGRATE_ON_START: 'true' } }).database.migrate_on_start, true, 'a union takes the type that fits')
})

t.test('every key of the schema has its variable, and each one takes the value the file has', async (t) => {
  const defaults: unknown = loadConfig({ env: {} })
  const read = (key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], defaults)
  t.ok(SETTING_VARIABLES.length > 60, `${SETTING_VARIABLES.length} variables`)
  for (const { name, key } of SETTING_VARIABLES) {
    const value = read(key)
    if (value === undefined) continue // an optional key with no default (llm.pricing is in app.yaml)
    const raw = typeof value === 'string' ? value : JSON.stringify(value)
    const config = loadConfig({ env: { [name]: raw } })
    t.same(key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], config), value, `${name} round-trips`)
  }
  t.ok(SETTING_VARIABLES.some((v) => v.name === 'SALIENT_DATABASE__EMBEDDED__DATA_DIR' && v.key === 'database.embedded.data_dir'))
})

t.test('the variables of SPEC §2 keep working, and a SALIENT_ variable is the more specific', async (t) => {
  t.equal(loadConfig({ env: { PORT: '9002' } }).server.port, 9002)
  t.equal(loadConfig({ env: { REDIS_URL: 'redis://127.0.0.1:6379' } }).redis.url, 'redis://127.0.0.1:6379')
  t.equal(loadConfig({ env: { PORT: '9002', SALIENT_SERVER__PORT: '9003' } }).server.port, 9003)
})

t.test('a wrong SALIENT_ value, or one that names no key, stops the start naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ SALIENT_SESSION__COOKIE_SECURE: 'yes' }, /SALIENT_SESSION__COOKIE_SECURE \(session\.cookie_secure\): expected a boolean, got "yes"/],
    [{ SALIENT_DATABASE__POOL_SIZE: 'twenty' }, /SALIENT_DATABASE__POOL_SIZE .*expected an integer/],
    [{ SALIENT_DATABASE__POOL_SIZE: '0' }, /SALIENT_DATABASE__POOL_SIZE .*≥ 1.*got "0"/],
    [{ SALIENT_DATABASE__POOL_SIZE: '2.5' }, /SALIENT_DATABASE__POOL_SIZE/],
    [{ SALIENT_SERVER__PORT: '70000' }, /SALIENT_SERVER__PORT .*≤ 65535/],
    [{ SALIENT_LLM__ON_CLIENT_DISCONNECT: 'later' }, /SALIENT_LLM__ON_CLIENT_DISCONNECT .*"finish" or "abort"/],
    [{ SALIENT_EMBED__ALLOWED_ORIGINS: 'https://example.com' }, /SALIENT_EMBED__ALLOWED_ORIGINS .*a JSON array/],
    [{ SALIENT_EMBED__ALLOWED_ORIGINS: '[1]' }, /SALIENT_EMBED__ALLOWED_ORIGINS/],
    [{ SALIENT_LLM__PRICING: '{"m": {"prompt_per_million": "cheap"}}' }, /SALIENT_LLM__PRICING/],
    [{ SALIENT_RETENTION__IDLE_DAYS: 'never' }, /SALIENT_RETENTION__IDLE_DAYS .*an integer \(≥ 1\) or null/],
    [{ SALIENT_DATABASE__POOLSIZE: '5' }, /Unknown environment variable SALIENT_DATABASE__POOLSIZE/],
    [{ SALIENT_DATABASE: '{}' }, /Unknown environment variable SALIENT_DATABASE\b/],
    [{ PORT: 'eighty' }, /PORT \(server\.port\): expected an integer/]
  ]
  for (const [env, pattern] of cases) t.throws(() => loadConfig({ env }), pattern, Object.keys(env).join())
})

t.test('the server stops with EX_CONFIG naming a wrong variable', async (t) => {
  const root = path.join(import.meta.dirname, '../../../..')
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root, env: { ...process.env, SALIENT_SERVER__BODY_LIMIT_BYTES: 'lots' }, encoding: 'utf8', timeout: 120_000
  })
  t.equal(run.status, 78)
  t.match(run.stderr.trim(), /^Invalid environment variable SALIENT_SERVER__BODY_LIMIT_BYTES \(server\.body_limit_bytes\): expected an integer/)
})

t.test('a __proto__ key in an overlay file is refused as an unknown key, at the top or nested', async (t) => {
  const top = yamlFile('proto-top.yaml', '__proto__:\n  polluted: true\n')
  t.throws(() => loadConfig({ env: { APP_CONFIG: top } }), new ConfigError('Invalid configuration: unknown key "__proto__"'))
  const nested = yamlFile('proto-nested.yaml', 'server:\n  __proto__:\n    port: 1\n')
  t.throws(() => loadConfig({ env: { APP_CONFIG: nested } }), new ConfigError('Invalid configuration: unknown key "server.__proto__"'))
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched')
})
