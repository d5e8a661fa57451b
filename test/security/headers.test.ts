// Security headers (@fastify/helmet) on every response, a Content-Security-Policy the built client works under, and
// HSTS only over HTTPS (cookie_secure). The client itself is checked in Chromium under this policy by test/browser.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'

const CSP = "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';frame-ancestors 'none';base-uri 'self';form-action 'self';object-src 'none'"
const CLIENT = path.resolve(import.meta.dirname, '../../client/dist/index.html')

t.test('every kind of response carries the security headers and the CSP; no HSTS over plain HTTP', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/', '/api/session', '/health', '/events/stream?message=hi', '/nowhere', '/api/session/messages?limit=oops']) {
    const res = await app.inject({ url })
    t.equal(res.headers['content-security-policy'], CSP, `${url} (${res.statusCode}): the CSP`)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
    t.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin')
    t.equal(res.headers['cross-origin-opener-policy'], 'same-origin')
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin')
    t.notOk(res.headers['strict-transport-security'], 'no HSTS without HTTPS')
    t.notOk(res.headers['x-powered-by'])
  }
})

t.test('with cookie_secure (served over HTTPS) HSTS is sent', async (t) => {
  const { app } = await buildTestApp(t, { config: { session: { cookie_secure: true } } })
  const res = await app.inject({ url: '/health' })
  t.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
})

t.test('the built client has no inline script, style or handler the CSP would block', { skip: !existsSync(CLIENT) && 'client not built' }, async (t) => {
  const html = readFileSync(CLIENT, 'utf8')
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
  t.ok(scripts.length > 0, 'the page loads its script')
  for (const [, attributes, body] of scripts) {
    t.match(attributes, /\bsrc="\/assets\//, 'scripts come from /assets (same origin)')
    t.equal(body!.trim(), '', 'and are not inline')
  }
  t.notMatch(html, /<style\b/i, 'no <style> element')
  t.notMatch(html, /\sstyle\s*=/i, 'no style attribute')
  t.notMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler')
  t.notMatch(html, /(src|href)="(https?:)?\/\//i, 'nothing loaded from another origin')
})
