import { readdirSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { CLIENT_DIST } from '../../../src/routes/client.ts'

t.test('GET / serves the chat client and starts the session', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.equal(res.headers['cache-control'], 'no-cache')
  t.match(res.body, /<script type="module"[^>]*src="\/assets\/[\w-]+\.js"/)
  t.match(String(res.headers['set-cookie']), /^salient_session=/)
  const head = await app.inject({ method: 'HEAD', url: '/' })
  t.notOk(head.headers['set-cookie'], 'HEAD creates no session')
})

t.test('hashed assets are cached for a year; static files create no session', async (t) => {
  const { app } = await buildTestApp(t)
  const script = readdirSync(path.join(CLIENT_DIST, 'assets')).find((f) => f.endsWith('.js'))!
  const res = await app.inject({ url: `/assets/${script}` })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.notOk(res.headers['set-cookie'])
  const missing = await app.inject({ url: '/assets/nope-123.js' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error.code, 'not_found')
})

t.test('path traversal never reaches files outside the client build', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/assets/../../package.json', '/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/app.yaml', '/%2e%2e/%2e%2e/etc/passwd', '/.env']) {
    const res = await app.inject({ url })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url} → ${res.statusCode}`)
    t.notMatch(res.body, /"dependencies"|root:x:|database:/, `${url} leaks nothing`)
    t.doesNotThrow(() => res.json().error.code, `${url} answers in the error shape`)
  }
})

t.test('the client reads its settings from /api/client-config', async (t) => {
  const { app } = await buildTestApp(t, { config: { app: { name: 'Acme Solar' }, ui: { sse_enabled: false } } })
  const res = await app.inject({ url: '/api/client-config' })
  t.same(res.json(), {
    app_name: 'Acme Solar',
    ui: { sse_enabled: false, allow_basic_html: true, dev_diagnostics: true, submit_shortcut: 'enter', enter_inserts_newline: false }
  })
  t.notOk(res.headers['set-cookie'])
})
