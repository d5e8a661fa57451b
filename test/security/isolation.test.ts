// Isolation: under concurrent load from many sessions no response, history, usage or profile carries another
// session's data; every id-taking route answers 404 to a session that does not own the id.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { buildChatApp, visitor } from '../helpers/chat-app.ts'

const SESSIONS = 200

t.test(`${SESSIONS} sessions in parallel: every reply, history, usage and profile carries only its own session's data`, async (t) => {
  const { app, fake } = await buildChatApp(t, { config: { database: { pool_size: 10 } }, logLevel: 'warn' })
  fake.setDefault({ deltas: 3, interChunkDelayMs: 5 })
  const tokens = Array.from({ length: SESSIONS }, (_, i) => `tok${i.toString(36)}x${randomUUID().slice(0, 8)}`)
  const leaks: string[] = []
  const foreign = (own: string, text: string) => tokens.filter((token) => token !== own && text.includes(token))
  const check = (what: string, own: string, body: string) => {
    const others = foreign(own, body)
    if (others.length > 0) leaks.push(`${what} of ${own} carries ${others.join(', ')}`)
  }

  const started = Date.now()
  const outcomes = await Promise.all(tokens.map(async (token, i) => {
    const v = visitor(app)
    const session = await v.session()
    const posted = await v.post(`Hi, I am ${token}, my email is ${token}@example.com`)
    check('POST /chat', token, posted.body)
    const streamed = await v.stream(`tell me more, ${token}`)
    check('the stream', token, streamed.res.body)
    const history = await v.request({ url: '/api/session/messages' })
    check('history', token, history.body)
    const usage = await v.request({ url: `/api/session/${session.session_id}/usage` })
    check('usage', token, usage.body)
    const profile = await v.request({ url: '/api/session/profile' })
    check('profile', token, profile.body)
    const again = await v.session()
    return { i, token, session, posted, streamed, history: history.json(), usage: usage.json(), profile: profile.json(), again }
  }))
  t.comment(`${SESSIONS} sessions × 7 requests in ${Date.now() - started} ms`)

  t.same(leaks, [], 'no response carries another session\'s token')
  const ids = new Set(outcomes.map((o) => o.session.session_id))
  t.equal(ids.size, SESSIONS, 'every visitor got its own session')
  let wrong = 0
  for (const o of outcomes) {
    const ok = o.posted.statusCode === 200 &&
      o.posted.json().session_id === o.session.session_id &&
      o.posted.json().reply.includes(o.token) &&
      o.streamed.end?.status === 'complete' && o.streamed.text.includes(o.token) &&
      o.history.messages.length === 4 && o.history.messages.every((m: { content: string }) => m.content.includes(o.token)) &&
      o.usage.session_id === o.session.session_id && o.usage.requests === 2 &&
      o.profile.email === `${o.token}@example.com`.toLowerCase() &&
      o.again.session_id === o.session.session_id && o.again.message_count === 4
    if (!ok) {
      wrong++
      if (wrong <= 3) t.fail(`session ${o.i}: ${JSON.stringify({ posted: o.posted.body.slice(0, 200), history: o.history, usage: o.usage, profile: o.profile }).slice(0, 1500)}`)
    }
  }
  t.equal(wrong, 0, `all ${SESSIONS} sessions saw exactly their own conversation, usage and profile`)
})

t.test('IDOR: every id-taking route answers 404 (or the SPEC\'s 400 for a foreign cursor) to a session that does not own the id', async (t) => {
  const { app } = await buildChatApp(t)
  const alice = visitor(app)
  const mallory = visitor(app)
  const aliceSession = await alice.session()
  await mallory.session()
  const aliceTurn = (await alice.post('my secret plan', { client_message_id: 'alice-turn-0001' })).json()

  for (const url of [`/api/session/${aliceSession.session_id}/usage`, `/api/session/${aliceSession.session_id}/usage?export=1`,
    `/api/session/${aliceSession.session_id.toUpperCase()}/usage`, `/api/session/${randomUUID()}/usage`]) {
    const res = await mallory.request({ url })
    t.equal(res.statusCode, 404, `${url}: 404`)
    t.match(res.json(), { error: { code: 'not_found' } })
    t.notMatch(res.body, /secret|alice/i)
  }
  const anonymous = await app.inject({ url: `/api/session/${aliceSession.session_id}/usage` })
  t.equal(anonymous.statusCode, 404, 'no cookie: 404')
  const badToken = await app.inject({ url: `/api/session/${aliceSession.session_id}/usage`, headers: { authorization: 'Bearer not-the-admin-token-at-all' } })
  t.equal(badToken.statusCode, 404, 'a wrong admin token: 404')
  t.equal((await mallory.request({ url: '/api/admin/email-collisions' })).statusCode, 404, 'the admin route: 404')

  const cursor = await mallory.request({ url: `/api/session/messages?before=${aliceTurn.message_id}` })
  t.equal(cursor.statusCode, 400, 'another session\'s message as a cursor: 400 invalid_cursor (SPEC §5)')
  t.match(cursor.json(), { error: { code: 'invalid_cursor' } })
  t.notMatch(cursor.body, /secret/)

  const replay = await mallory.post('something else', { client_message_id: 'alice-turn-0001' })
  t.equal(replay.statusCode, 200)
  t.notMatch(replay.json().reply, /secret/, 'reusing another session\'s client_message_id replays nothing of theirs')
  t.not(replay.json().human_message_id, aliceTurn.human_message_id)

  const history = await mallory.history()
  t.notOk(history.messages.some((m: { content: string }) => m.content.includes('secret')), 'mallory\'s history holds only mallory\'s turn')
  t.equal((await mallory.request({ url: '/api/session/profile' })).json().email, null)
  const del = await mallory.request({ method: 'DELETE', url: '/api/session' })
  t.same(del.json(), { deleted: true }, 'DELETE erases only the caller\'s own session')
  t.equal((await alice.history()).messages.length, 2, 'alice\'s conversation is intact')
})
