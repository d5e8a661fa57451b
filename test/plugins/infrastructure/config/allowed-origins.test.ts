// embed.allowed_origins: exact origins only; a malformed entry stops the start-up naming it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadConfig, ConfigError } from '../../../../plugins/infrastructure/config/load-config.ts'
import { exactOrigin } from '../../../../plugins/infrastructure/config/allowed-origins.ts'

const withOrigins = (origins: unknown) => loadConfig({ env: {}, overrides: { embed: { allowed_origins: origins } } })

t.test('exact origins are accepted as written; the default is empty', async (t) => {
  t.same(loadConfig({ env: {} }).embed.allowed_origins, [], 'no site may embed by default')
  const origins = ['https://www.example.com', 'http://localhost:3000', 'http://127.0.0.1:8080', 'https://xn--bcher-kva.example']
  t.same(withOrigins(origins).embed.allowed_origins, origins)
})

t.test('a malformed entry is a ConfigError naming the entry and its position', async (t) => {
  const bad = [
    'https://www.example.com/', // trailing slash
    'https://www.example.com/shop', // a path
    'www.example.com', // no scheme
    'HTTPS://WWW.EXAMPLE.COM', // not as a browser spells it
    'https://www.example.com:443', // default port spelled out
    'ftp://files.example.com',
    'https://*.example.com',
    '*',
    'null'
  ]
  for (const entry of bad) {
    t.equal(exactOrigin(entry), null, `${entry} is not an exact origin`)
    const err = t.throws(() => withOrigins(['https://ok.example.com', entry]))
    t.ok(err instanceof ConfigError, `${entry}: a ConfigError`)
    t.match((err as Error).message, 'embed.allowed_origins.1', `${entry}: names the position`)
    t.match((err as Error).message, JSON.stringify(entry), `${entry}: names the entry`)
  }
  t.throws(() => withOrigins('https://example.com'), /embed\.allowed_origins/, 'a string instead of a list')
})

t.test('the server does not start with a malformed entry, and says which', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'salient-origins-'))
  const overlay = path.join(dir, 'bad-origins.yaml')
  writeFileSync(overlay, 'embed:\n  allowed_origins: ["https://shop.example.com", "https://shop.example.com/"]\n')
  const root = path.join(import.meta.dirname, '../../../..')
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root, env: { ...process.env, APP_CONFIG: overlay }, encoding: 'utf8', timeout: 30_000
  })
  t.equal(run.status, 78, 'exits with EX_CONFIG')
  t.match(run.stderr, 'embed.allowed_origins.1')
  t.match(run.stderr, '"https://shop.example.com/"')
})
