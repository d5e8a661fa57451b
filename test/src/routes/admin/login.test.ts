// Operator sign-in (SPEC §12): the admin token buys a salient_admin cookie the server issued (never the token), the
// cookie or the bearer token opens every admin route, anyone else gets 404, changes from another origin get 403.
import t from 'tap'
import { buildTestApp, cookieFrom } from '../../../helpers/app.ts'
import { ADMIN_COOKIE_MAX_AGE_S } from '../../../../plugins/app/admin.ts'

const ADMIN = 'admin-token-0123456789abcdef'
const ADMIN_ROUTES = ['/api/admin/me', '/api/admin/leads', '/api/admin/leads.csv', '/api/admin/costs/daily', '/api/admin/costs/summary',
  '/api/admin/collisions', '/api/admin/email-collisions', '/api/admin/conversations/0190a000-0000-7000-8000-000000000000']

t.test('login sets an httpOnly, SameSite=Strict, 12-hour cookie that is not the token, and it opens the admin API', async (t) => {
  const { app, logs } = await buildTestApp(t, { config: { admin: { token: ADMIN } } })
  const res = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: ADMIN } })
  t.equal(res.statusCode, 204)
  const header = String(res.headers['set-cookie'])
  t.match(header, /^salient_admin=/)
  t.match(header, /HttpOnly/)
  t.match(header, /SameSite=Strict/)
  t.match(header, new RegExp(`Max-Age=${ADMIN_COOKIE_MAX_AGE_S}`))
  t.notMatch(header, /Secure/, 'not Secure while session.cookie_secure is false')
  t.notMatch(header, ADMIN, 'the cookie is not the token')
  const cookie = cookieFrom(res.headers['set-cookie'])
  t.notOk(logs.some((line) => line.includes(ADMIN) || line.includes(cookie.split('=')[1]!)), 'neither token nor cookie is logged')

  for (const url of ADMIN_ROUTES.filter((u) => !u.includes('conversations'))) {
    const ok = await app.inject({ url, headers: { cookie } })
    t.equal(ok.statusCode, 200, `${url} with the cookie`)
  }
  const bearer = await app.inject({ url: '/api/admin/me', headers: { authorization: `Bearer ${ADMIN}` } })
  t.same(bearer.json(), { admin: true, via: 'bearer' })

  const out = await app.inject({ method: 'POST', url: '/api/admin/logout', headers: { cookie } })
  t.equal(out.statusCode, 204)
  t.match(String(out.headers['set-cookie']), /salient_admin=;.*Expires=Thu, 01 Jan 1970/)
})

t.test('a forged, edited or expired cookie, a visitor cookie, or nothing: 404 from every admin route', async (t) => {
  const { app } = await buildTestApp(t, { config: { admin: { token: ADMIN } } })
  const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: ADMIN } })
  const value = cookieFrom(login.headers['set-cookie']).split('=')[1]!
  const [expires, mac] = value.split('.')
  const forged = [
    `${Number(expires) + 3600}.${mac}`,
    `${expires}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`,
    ADMIN,
    `${Math.floor(Date.now() / 1000) - 10}.${mac}`
  ]
  const visitor = await app.inject({ url: '/api/session' })
  for (const url of ADMIN_ROUTES) {
    t.equal((await app.inject({ url })).statusCode, 404, `${url} without credentials`)
    t.equal((await app.inject({ url, headers: { cookie: cookieFrom(visitor.headers['set-cookie']) } })).statusCode, 404, `${url} with a visitor cookie`)
    t.equal((await app.inject({ url, headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode, 404, `${url} with a wrong bearer`)
    for (const cookie of forged) {
      const res = await app.inject({ url, headers: { cookie: `salient_admin=${cookie}` } })
      t.equal(res.statusCode, 404, `${url} with a forged cookie`)
      t.same(Object.keys(res.json()), ['error'])
    }
  }
  // An expired cookie signed by the server itself is refused too.
  const { adminLogin } = app
  const old = adminLogin.issue(Date.now() - (ADMIN_COOKIE_MAX_AGE_S + 5) * 1000)
  t.equal((await app.inject({ url: '/api/admin/me', headers: { cookie: `salient_admin=${old}` } })).statusCode, 404, 'expired')
  t.equal((await app.inject({ url: '/api/admin/me', headers: { cookie: `salient_admin=${adminLogin.issue()}` } })).statusCode, 200, 'a fresh one works')
})

t.test('a wrong token is 401 and repeated tries from one address are rate limited', async (t) => {
  const { app, logs } = await buildTestApp(t, { config: { admin: { token: ADMIN } } })
  const wrong = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: 'not-the-token-at-all' } })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().error.code, 'invalid_admin_token')
  t.notOk(wrong.headers['set-cookie'], 'no cookie')
  t.notOk(logs.some((line) => line.includes('not-the-token-at-all')), 'the attempt is not logged')
  let status = 0
  for (let i = 0; i < 12 && status !== 429; i++) {
    status = (await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: `wrong-${i}` } })).statusCode
  }
  t.equal(status, 429, 'refused after ten tries in a minute')
  const blocked = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: ADMIN } })
  t.equal(blocked.statusCode, 429, 'even the right token waits')
  t.ok(Number(blocked.headers['retry-after']) >= 1)
  const elsewhere = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: ADMIN }, remoteAddress: '10.0.0.9' })
  t.equal(elsewhere.statusCode, 204, 'another address is not affected')
  t.equal((await app.inject({ method: 'POST', url: '/api/admin/login', payload: {} })).statusCode, 400, 'no token: 400')
})

t.test('admin changes from another origin are 403, even with valid credentials', async (t) => {
  const { app } = await buildTestApp(t, { config: { admin: { token: ADMIN } } })
  const crossSite = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }]
  for (const headers of crossSite) {
    const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: ADMIN }, headers })
    t.equal(login.statusCode, 403, `login refused: ${JSON.stringify(headers)}`)
    t.equal(login.json().error.code, 'cross_site_request')
    const logout = await app.inject({ method: 'POST', url: '/api/admin/logout', headers: { ...headers, authorization: `Bearer ${ADMIN}` } })
    t.equal(logout.statusCode, 403)
  }
  const same = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: ADMIN }, headers: { origin: 'http://localhost:8080', host: 'localhost:8080', 'sec-fetch-site': 'same-origin' } })
  t.equal(same.statusCode, 204, 'the server\'s own origin may')
  const read = await app.inject({ url: '/api/admin/me', headers: { origin: 'https://evil.example', authorization: `Bearer ${ADMIN}` } })
  t.equal(read.statusCode, 200, 'a read is not a change (and CORS keeps its answer from the other site)')
})

t.test('with no ADMIN_TOKEN the admin API is 404 and /admin says how to set one', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/admin/login', payload: { token: 'anything-at-all-here' } })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/api/admin/logout' })).statusCode, 404)
  for (const url of ADMIN_ROUTES) t.equal((await app.inject({ url })).statusCode, 404, url)
  const page = await app.inject({ url: '/admin/leads' })
  t.equal(page.statusCode, 200)
  t.match(page.body, '<meta name="salient-admin" content="disabled">')
})

t.test('/admin and every view address serve the console page', async (t) => {
  const { app } = await buildTestApp(t, { config: { admin: { token: ADMIN } } })
  for (const url of ['/admin', '/admin/leads', '/admin/conversations/0190a000-0000-7000-8000-000000000000', '/admin/costs', '/admin/collisions', '/admin/outbox']) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-type'], /text\/html/)
    t.match(res.body, '<meta name="salient-admin" content="enabled">')
    t.match(res.headers['content-security-policy'], /script-src 'self'/)
  }
})
