import { createHash } from 'node:crypto'
import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp, cookieFrom } from '../../helpers/app.ts'

t.test('a first visit gets a new session and a secure cookie', async (t) => {
  const { app, db } = await buildTestApp(t)
  const res = await app.inject({ url: '/api/session' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { session_id: /^[0-9a-f-]{36}$/, is_anonymous: true, email: null, message_count: 0 })
  const setCookie = String(res.headers['set-cookie'])
  t.match(setCookie, /^salient_session=[A-Za-z0-9_-]{43};/, '32 random bytes, base64url')
  t.match(setCookie, /Max-Age=604800/)
  t.match(setCookie, /Path=\//)
  t.match(setCookie, /HttpOnly/)
  t.match(setCookie, /SameSite=Lax/)
  t.notMatch(setCookie, /Secure/, 'Secure is off by default (configurable)')

  const key = cookieFrom(res.headers['set-cookie']).split('=')[1]!
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', body.session_id).executeTakeFirstOrThrow()
  t.not(row.session_key, key, 'the database never holds the cookie value')
  t.equal(row.session_key, createHash('sha256').update(key).digest('hex'), 'only its SHA-256')
})

t.test('the same cookie resumes the same session, and activity moves last_activity_at', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await app.inject({ url: '/api/session' })
  const cookie = cookieFrom(first.headers['set-cookie'])
  await new Promise((resolve) => setTimeout(resolve, 20))
  const second = await app.inject({ url: '/api/session', headers: { cookie } })
  t.equal(second.json().session_id, first.json().session_id)
  t.ok(new Date(second.json().last_activity_at) > new Date(first.json().last_activity_at), 'last_activity_at moved')
  t.equal(second.json().created_at, first.json().created_at)
})

t.test('a history load and a chat turn record activity; the routes whose statements record it commit nothing before', async (t) => {
  const { app, db } = await buildTestApp(t)
  const first = await app.inject({ url: '/api/session' })
  const cookie = cookieFrom(first.headers['set-cookie'])
  const id = first.json().session_id as string
  const lastActivity = async () => (await db.selectFrom('sessions').select('last_activity_at').where('id', '=', id).executeTakeFirstOrThrow()).last_activity_at
  const stepBack = () => db.updateTable('sessions').set({ last_activity_at: sql`now() - interval '1 hour'` }).where('id', '=', id).execute()

  await stepBack()
  const before = await lastActivity()
  t.equal((await app.inject({ url: '/api/session/messages', headers: { cookie } })).statusCode, 200)
  t.ok(await lastActivity() > before, 'a history load moves last_activity_at')

  await stepBack()
  const chat = await app.inject({ method: 'POST', url: '/chat', headers: { cookie, 'content-type': 'application/json' }, payload: { message: 'Hello there' } })
  t.equal(chat.statusCode, 200)
  t.ok(await lastActivity() > before, 'a chat turn moves last_activity_at')

  // Idle past cookie_max_age: the chat route's read-only resume still refuses it and starts a new session.
  await db.updateTable('sessions').set({ last_activity_at: sql`now() - interval '8 days'` }).where('id', '=', id).execute()
  const late = await app.inject({ url: '/api/session/messages', headers: { cookie } })
  t.same(late.json(), { messages: [], has_more: false }, 'an idle session is not resumed by a history load')
  const lateChat = await app.inject({ method: 'POST', url: '/chat', headers: { cookie, 'content-type': 'application/json', accept: 'application/json' }, payload: { message: 'Still there?' } })
  t.not(lateChat.json().session_id, id, 'nor by a chat turn')
})

t.test('a key the server did not issue is never adopted', async (t) => {
  const { app, db } = await buildTestApp(t)
  const first = await app.inject({ url: '/api/session' })
  const realKey = cookieFrom(first.headers['set-cookie']).split('=')[1]!
  const tampered = realKey.slice(0, -1) + (realKey.endsWith('A') ? 'B' : 'A')
  const values = {
    unknown: 'Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm8',
    tampered,
    malformed: 'not a key; DROP TABLE sessions',
    'too long': 'A'.repeat(4000),
    empty: ''
  }
  for (const [label, value] of Object.entries(values)) {
    const res = await app.inject({ url: '/api/session', headers: { cookie: `salient_session=${encodeURIComponent(value)}` } })
    t.equal(res.statusCode, 200, label)
    t.not(res.json().session_id, first.json().session_id, `${label}: a new session`)
    const issued = cookieFrom(res.headers['set-cookie']).split('=')[1]
    t.not(issued, value, `${label}: a new key, not the one offered`)
  }
  const count = await db.selectFrom('sessions').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(count.n), 6, 'one real session plus one new per rejected key')
})

t.test('an idle session older than cookie_max_age is not resumed', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { session: { cookie_max_age: 3600 } } })
  const first = await app.inject({ url: '/api/session' })
  const cookie = cookieFrom(first.headers['set-cookie'])
  await db.updateTable('sessions').set({ last_activity_at: sql`now() - interval '2 hours'` }).execute()
  const res = await app.inject({ url: '/api/session', headers: { cookie } })
  t.not(res.json().session_id, first.json().session_id)
  t.ok(res.headers['set-cookie'])
})

t.test('sessions are not created by /health, unknown routes, OPTIONS or HEAD', async (t) => {
  const { app, db } = await buildTestApp(t)
  for (const req of [
    { method: 'GET' as const, url: '/health' },
    { method: 'GET' as const, url: '/does-not-exist' },
    { method: 'OPTIONS' as const, url: '/api/session' },
    { method: 'HEAD' as const, url: '/api/session' }
  ]) {
    const res = await app.inject(req)
    t.notOk(res.headers['set-cookie'], `${req.method} ${req.url} sets no cookie`)
    t.ok(res.statusCode < 500, `${req.method} ${req.url} answers ${res.statusCode}, not a 5xx`)
  }
  const count = await db.selectFrom('sessions').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(count.n), 0)
})

t.test('cookie attributes follow the configuration', async (t) => {
  const { app } = await buildTestApp(t, { config: { session: { cookie_secure: true, cookie_samesite: 'strict', cookie_max_age: 120, cookie_name: 'sid' } } })
  const res = await app.inject({ url: '/api/session' })
  const setCookie = String(res.headers['set-cookie'])
  t.match(setCookie, /^sid=/)
  t.match(setCookie, /Secure/)
  t.match(setCookie, /SameSite=Strict/)
  t.match(setCookie, /Max-Age=120/)
})

t.test('logs inside a session carry session_id, and never the cookie', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const res = await app.inject({ url: '/api/session' })
  const cookie = cookieFrom(res.headers['set-cookie'])
  await app.inject({ url: '/api/session', headers: { cookie } })
  const key = cookie.split('=')[1]!
  t.notOk(logs.some((line) => line.includes(key)), 'the key is in no log line')
  const sessionLines = logs.map((l) => JSON.parse(l)).filter((l) => l.session_id === res.json().session_id)
  t.ok(sessionLines.some((l) => l.event === 'session.created'))
  t.ok(sessionLines.some((l) => l.msg === 'request completed'), 'the request log line carries session_id')
})

t.test('DELETE /api/session erases the session and clears the cookie', async (t) => {
  const { app, db } = await buildTestApp(t)
  const res = await app.inject({ url: '/api/session' })
  const cookie = cookieFrom(res.headers['set-cookie'])
  const del = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } })
  t.equal(del.statusCode, 200)
  t.same(del.json(), { deleted: true })
  t.match(String(del.headers['set-cookie']), /salient_session=;.*Expires=Thu, 01 Jan 1970/)
  t.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0)
  const again = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } })
  t.same(again.json(), { deleted: false }, 'a second delete creates nothing')
  t.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0)
})
