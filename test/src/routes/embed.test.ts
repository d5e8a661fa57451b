// The server side of the chat on other sites (SPEC §13): /widget.js (cache, ETag, settings, loadable cross-origin),
// /embed (framed by the allowed sites only, refused for others), and the embed's partitioned session cookie beside
// the unchanged first-party one.
import t from 'tap'
import { buildTestApp, cookieFrom } from '../../helpers/app.ts'

const SHOP = 'https://shop.example.com'
const BLOG = 'http://localhost:4000'

function setCookies (header: string | string[] | undefined): string[] {
  return header === undefined ? [] : Array.isArray(header) ? header : [header]
}

/** The settings the server wrote into /widget.js. */
function servedSettings (body: string): unknown {
  const literal = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)|=("\{\\"allowedOrigins(?:[^"\\]|\\.)*")/.exec(body)
  const quoted = literal?.[1] ?? literal?.[2]
  if (quoted === undefined) throw new Error('no settings in /widget.js')
  return JSON.parse(JSON.parse(quoted) as string)
}

t.test('/widget.js: a script any page may load, cached briefly and revalidated by ETag, with the allowed sites', async (t) => {
  const { app } = await buildTestApp(t, { config: { app: { name: 'Sunrise Solar' }, embed: { allowed_origins: [SHOP, BLOG] } } })
  const res = await app.inject({ url: '/widget.js' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/javascript/)
  t.equal(res.headers['cache-control'], 'public, max-age=300, stale-while-revalidate=60')
  t.match(res.headers.etag, /^"[\w-]{27}"$/)
  t.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', 'a page on another site may load it')
  t.notOk(res.headers['set-cookie'], 'no session for a script')
  t.notMatch(res.body, /%SALIENT_WIDGET_SETTINGS%/, 'the settings are filled in')
  t.same(servedSettings(res.body), { allowedOrigins: [SHOP, BLOG], appName: 'Sunrise Solar' })
  t.ok(res.body.trimStart().startsWith('(function'), 'one IIFE: nothing leaks into the host page\'s globals')

  const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': res.headers.etag as string } })
  t.equal(again.statusCode, 304, 'unchanged: 304')
  t.equal(again.body, '')
  t.equal(again.headers.etag, res.headers.etag)
  const weak = await app.inject({ url: '/widget.js', headers: { 'if-none-match': `"other", W/${res.headers.etag as string}` } })
  t.equal(weak.statusCode, 304, 'a weak or listed tag matches too')
  const stale = await app.inject({ url: '/widget.js', headers: { 'if-none-match': '"something-else"' } })
  t.equal(stale.statusCode, 200)
})

t.test('/widget.js with no allowed sites carries an empty list (the launcher stays silent everywhere)', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/widget.js' })
  t.same(servedSettings(res.body), { allowedOrigins: [], appName: 'Salient' })
  const other = await buildTestApp(t, { config: { embed: { allowed_origins: [SHOP] } } })
  t.not((await other.app.inject({ url: '/widget.js' })).headers.etag, res.headers.etag, 'another list, another ETag')
})

t.test('/embed: framed only by the allowed sites (frame-ancestors), every other page still by none', async (t) => {
  const { app } = await buildTestApp(t, { config: { embed: { allowed_origins: [SHOP, BLOG] } } })
  const res = await app.inject({ url: `/embed?host=${encodeURIComponent(SHOP)}`, headers: { referer: `${SHOP}/products/panels` } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.body, /<html lang="en" class="embed">/, 'the client in its embed mode')
  t.match(res.body, /aria-label="Message"/)
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, `frame-ancestors ${SHOP} ${BLOG}`)
  t.match(csp, "script-src 'self'", 'otherwise the client\'s policy')
  t.notOk(res.headers['x-frame-options'], 'no X-Frame-Options (it could only say SAMEORIGIN)')
  t.equal(res.headers['cache-control'], 'no-cache')

  for (const url of ['/', '/api/session', '/widget.js', '/health']) {
    const other = await app.inject({ url })
    t.match(String(other.headers['content-security-policy']), "frame-ancestors 'none'", `${url} keeps frame-ancestors 'none'`)
  }
  t.equal((await app.inject({ url: '/' })).headers['x-frame-options'], 'SAMEORIGIN')

  const none = await buildTestApp(t)
  const empty = await none.app.inject({ url: `/embed?host=${encodeURIComponent(SHOP)}` })
  t.equal(empty.statusCode, 403, 'with no allowed sites nobody gets the embed')
})

t.test('/embed is refused (403, no session) for a site not allowed, or when the browser contradicts the loader', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { embed: { allowed_origins: [SHOP] } } })
  const refused = [
    { url: '/embed', headers: {} },
    { url: '/embed?host=https%3A%2F%2Fevil.example', headers: { referer: 'https://evil.example/' } },
    { url: `/embed?host=${encodeURIComponent(SHOP)}/`, headers: {} },
    { url: `/embed?host=${encodeURIComponent(SHOP)}`, headers: { referer: 'https://evil.example/page' } },
    { url: `/embed?host=${encodeURIComponent(SHOP)}`, headers: { referer: 'not a url' } },
    { url: `/embed?host=${encodeURIComponent(SHOP)}&host=${encodeURIComponent(SHOP)}`, headers: {} }
  ]
  for (const { url, headers } of refused) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, 403, `${url} ${JSON.stringify(headers)}`)
    t.equal(res.json().error.code, 'embed_not_allowed')
    t.same(setCookies(res.headers['set-cookie']), [], 'and no session is started')
  }
  t.equal(Number((await db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0)

  const ok = [
    { referer: undefined }, // Referrer-Policy: no-referrer on the host page
    { referer: `${SHOP}/` },
    { referer: 'http://localhost:80/embed?host=x' } // the frame reloading itself (inject's host is localhost:80)
  ]
  for (const { referer } of ok) {
    const res = await app.inject({ url: `/embed?host=${encodeURIComponent(SHOP)}`, headers: referer ? { referer } : {} })
    t.equal(res.statusCode, 200, `referer ${String(referer)}`)
  }
})

t.test('the embed cookie: SameSite=None; Secure; Partitioned, beside an unchanged first-party cookie', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { embed: { allowed_origins: [SHOP] } } })
  const embed = await app.inject({ url: `/embed?host=${encodeURIComponent(SHOP)}` })
  const [setCookie, ...more] = setCookies(embed.headers['set-cookie'])
  t.same(more, [], 'one cookie')
  t.match(setCookie, /^salient_session_embed=[A-Za-z0-9_-]{43};/)
  for (const attribute of ['Max-Age=604800', 'Path=/', 'HttpOnly', 'Secure', 'SameSite=None', 'Partitioned']) {
    t.match(setCookie, new RegExp(`; ${attribute}(;|$)`), attribute)
  }
  const cookie = cookieFrom(setCookie)

  const session = await app.inject({ url: '/api/session', headers: { cookie } })
  const embedSessionId = session.json().session_id
  const sessions = await db.selectFrom('sessions').select('id').execute()
  t.same(sessions.map((s) => s.id), [embedSessionId], 'the frame\'s calls resume the session /embed started')
  const refreshed = setCookies(session.headers['set-cookie'])
  t.equal(refreshed.length, 1)
  t.match(refreshed[0], /^salient_session_embed=.*; Partitioned/, 'and slide the embed cookie, not a first-party one')

  const chat = await app.inject({ method: 'POST', url: '/chat', headers: { cookie, 'content-type': 'application/json', accept: 'application/json', 'sec-fetch-site': 'same-origin' }, payload: { message: 'Hello from the frame' } })
  t.equal(chat.statusCode, 200)
  t.equal(chat.json().session_id, embedSessionId)

  const first = await app.inject({ url: '/' })
  const firstCookie = setCookies(first.headers['set-cookie'])
  t.equal(firstCookie.length, 1)
  t.match(firstCookie[0], /^salient_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/, 'the normal client\'s cookie is as before')

  const both = `${cookieFrom(firstCookie[0])}; ${cookie}`
  const firstWins = await app.inject({ url: '/api/session', headers: { cookie: both } })
  t.not(firstWins.json().session_id, embedSessionId, 'with both cookies, the first-party one wins')

  const fresh = await app.inject({ url: `/embed?host=${encodeURIComponent(SHOP)}&fresh=1`, headers: { cookie } })
  t.equal(fresh.statusCode, 200)
  const freshCookie = cookieFrom(fresh.headers['set-cookie'])
  t.not(freshCookie, cookie, '?fresh=1 starts a new embed session even with a cookie that resumes one')
  t.not((await app.inject({ url: '/api/session', headers: { cookie: freshCookie } })).json().session_id, embedSessionId)
  t.equal((await app.inject({ url: '/api/session', headers: { cookie } })).json().session_id, embedSessionId, 'the old one is left as it was')
  t.equal((await app.inject({ url: `/embed?host=${encodeURIComponent(SHOP)}&fresh=yes`, headers: { cookie } })).statusCode, 400, 'fresh is 1 or absent')

  const erased = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } })
  t.same(erased.json(), { deleted: true })
  const cleared = setCookies(erased.headers['set-cookie'])
  t.ok(cleared.some((c) => /^salient_session=;/.test(c)), 'the first-party cookie is cleared')
  t.ok(cleared.some((c) => /^salient_session_embed=;.*Partitioned/.test(c)), 'and the partitioned one, with Partitioned')
})
