import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadConfig, ConfigError } from '../../../../plugins/infrastructure/config/load-config.ts'

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
    const run = spawnSync(process.execPath, ['--import', 'tsx', ...entry], { cwd: root, env: { ...process.env, APP_CONFIG: overlay }, encoding: 'utf8', timeout: 30_000 })
    t.equal(run.status, 78, `${entry[0]} exits 78`)
    t.match(run.stderr, /server\.port/, `${entry[0]} names the key`)
  }
})

t.test('a __proto__ key in an overlay file is refused as an unknown key, at the top or nested', async (t) => {
  const top = yamlFile('proto-top.yaml', '__proto__:\n  polluted: true\n')
  t.throws(() => loadConfig({ env: { APP_CONFIG: top } }), new ConfigError('Invalid configuration: unknown key "__proto__"'))
  const nested = yamlFile('proto-nested.yaml', 'server:\n  __proto__:\n    port: 1\n')
  t.throws(() => loadConfig({ env: { APP_CONFIG: nested } }), new ConfigError('Invalid configuration: unknown key "server.__proto__"'))
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched')
})
