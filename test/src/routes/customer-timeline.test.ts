// SPEC §10: once linked, a session sees its customer — the messages of every linked session as one timeline (same
// order, cursor and has_more contract), the customer's profile — and the next LLM call is built from that timeline.
import t from 'tap'
import { sql } from 'kysely'
import { SignJWT } from 'jose'
import { buildChatApp, visitor } from '../../helpers/chat-app.ts'
import { customerPageQuery } from '../../../db/repositories/messages.ts'

const SECRET = 'a-host-site-secret-of-at-least-32-chars'
type Visitor = ReturnType<typeof visitor>
type Message = { id: string, role: string, content: string, created_at: string }

async function identify (v: Visitor, sub: string) {
  const token = await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))
  const res = await v.request({ method: 'POST', url: '/api/session/identify', payload: { token } })
  if (res.statusCode !== 200) throw new Error(`identify: ${res.statusCode} ${res.body}`)
  return res.json().customer_id as string
}

async function allPages (v: Visitor, limit: number): Promise<{ pages: Message[][], hasMore: boolean[] }> {
  const pages: Message[][] = []
  const hasMore: boolean[] = []
  let before: string | undefined
  for (;;) {
    const page = await v.history(`?limit=${limit}${before ? `&before=${before}` : ''}`)
    pages.unshift(page.messages)
    hasMore.push(page.has_more)
    if (!page.has_more) return { pages, hasMore }
    before = page.messages[0].id
  }
}

t.test('a linked session pages through every linked session\'s messages as one timeline', async (t) => {
  const { app, db } = await buildChatApp(t, { config: { identity: { secret: SECRET } } })
  const [a, b, stranger] = [visitor(app), visitor(app), visitor(app)]
  await a.post('A one: I am interested in solar panels')
  await b.post('B one: my name is Dana Reyes')
  await a.post('A two')
  await b.post('B two')
  await stranger.post('a stranger')
  const own = await a.history()
  t.same(own.messages.map((m: Message) => m.content).filter((c: string) => !c.startsWith('Echo')), ['A one: I am interested in solar panels', 'A two'], 'anonymous: only its own')

  const customerId = await identify(a, 'user-1')
  t.equal(await identify(b, 'user-1'), customerId)
  const whole = await a.history()
  const expected = await db.selectFrom('messages').select(['id', 'content']).where('session_id', '!=', (await stranger.session()).session_id)
    .orderBy('created_at').orderBy('id').execute()
  t.same(whole.messages.map((m: Message) => m.id), expected.map((m) => m.id), 'both sessions, in (created_at, id) order')
  t.equal(whole.messages.length, 8)
  t.same((await b.history()).messages.map((m: Message) => m.id), expected.map((m) => m.id), 'the same timeline from the other session')

  const { pages, hasMore } = await allPages(a, 3)
  t.same(pages.flat().map((m) => m.id), expected.map((m) => m.id), 'pages of 3 walk back through all of it, no gap, no repeat')
  t.same(hasMore, [true, true, false])
  const cursorFromB = expected.find((m) => m.content === 'B two')!.id
  const page = await a.history(`?limit=50&before=${cursorFromB}`)
  t.same(page.messages.map((m: Message) => m.content).slice(-1), ['Echo: A two'], 'a cursor from the other linked session is accepted')
  const strangerMessage = await db.selectFrom('messages').select('id').where('session_id', '=', (await stranger.session()).session_id).executeTakeFirstOrThrow()
  const refused = await a.request({ url: `/api/session/messages?before=${strangerMessage.id}` })
  t.equal(refused.statusCode, 400)
  t.equal(refused.json().error.code, 'invalid_cursor', 'a cursor outside the customer is refused')
  t.equal((await stranger.history()).messages.length, 2, 'the stranger still sees only its own')

  const profile = (await a.request({ url: '/api/session/profile' })).json()
  t.match(profile, { customer_name: 'Dana Reyes', products_of_interest: ['solar panels'] }, 'the customer\'s profile, merged from both')
})

t.test('the next LLM call is built from the customer\'s timeline', async (t) => {
  const { app, fake } = await buildChatApp(t, { config: { identity: { secret: SECRET } } })
  const [a, b] = [visitor(app), visitor(app)]
  await a.post('first device: the roof faces south')
  await identify(a, 'user-1')
  await b.session()
  await identify(b, 'user-1')
  await b.post('second device: what did I say about my roof?')
  const sent = fake.completions().at(-1)!.body as { messages: Array<{ role: string, content: string }> }
  const contents = sent.messages.map((m) => m.content)
  t.ok(contents.includes('first device: the roof faces south'), 'the other session\'s message is in the context')
  t.ok(contents.includes('Echo: first device: the roof faces south'))
  t.equal(contents.at(-1), 'second device: what did I say about my roof?', 'the new message last')
  t.ok(contents.indexOf('first device: the roof faces south') < contents.indexOf('second device: what did I say about my roof?'), 'in timeline order')
})

// With many short anonymous sessions the planner expects few messages per session and may read each linked session
// by a bitmap of the same index and sort it, instead of a backward scan stopped at the page: either way only the
// customer's own messages are read, through the (session_id, created_at, id) index, never a scan of the table.
t.test('the timeline page is an index path: per linked session on idx_messages_session_created, no scan of messages', async (t) => {
  const { db } = await buildChatApp(t)
  const customerId = crypto.randomUUID()
  await db.insertInto('customers').values({ id: customerId, email: 'dana@example.com' }).execute()
  await sql`insert into sessions (id, session_key, customer_id)
    select gen_random_uuid(), 'k' || g, case when g <= 20 then ${customerId}::uuid end from generate_series(1, 5000) g`.execute(db)
  await sql`insert into messages (id, session_id, role, content, created_at)
    select gen_random_uuid(), s.id, 'human', 'message ' || g, clock_timestamp() - make_interval(secs => g)
    from sessions s cross join lateral generate_series(1, case when s.customer_id is null then 4 else 300 end) g`.execute(db)
  await sql`analyze`.execute(db)
  const session = await db.selectFrom('sessions').select('id').where('customer_id', '=', customerId).executeTakeFirstOrThrow()
  const cursor = await db.selectFrom('messages').select('id').where('session_id', '=', session.id).orderBy('created_at', 'desc').offset(60).limit(1).executeTakeFirstOrThrow()
  for (const before of [undefined, cursor.id]) {
    const plan = await sql<{ 'QUERY PLAN': string }>`explain ${customerPageQuery(session.id, customerId, 50, before)}`.execute(db)
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n')
    t.match(text, /(Index (Only )?Scan Backward using|Bitmap Index Scan on) idx_messages_session_created/, `per linked session from the index${before ? ' (with a cursor)' : ''}`)
    t.match(text, /Index Cond: .*session_id = s\.id/, 'one linked session at a time (LATERAL)')
    t.match(text, /idx_sessions_customer_id/, 'the linked sessions by their index')
    t.notMatch(text, /Seq Scan on messages/, text)
  }
})
