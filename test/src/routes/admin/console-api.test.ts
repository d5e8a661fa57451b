// The console's read API (SPEC §12) on the real database: leads (customers and anonymous sessions with contact
// details) with search, filters, sorts, signed cursors and a CSV export safe for spreadsheets; a transcript with each
// reply's figures and each message's facts; costs per day from the daily books and live; collisions side by side.
import t from 'tap'
import { sql } from 'kysely'
import { visitor } from '../../../helpers/chat-app.ts'
import { ADMIN_AUTH, buildConsoleApp } from '../../../helpers/admin.ts'
import { DANA_MESSAGE } from '../../../fixtures/dana.ts'
import { uuidv7 } from '../../../../db/uuid7.ts'

// Dana (name, email, phone, interests) and Sam (a name only); here also Quiet (no contact: not a lead) and Lee (a
// customer).
const { app, db, danaId, samId } = await buildConsoleApp(t)
const get = async (url: string) => await app.inject({ url, headers: ADMIN_AUTH })

const quiet = visitor(app)
await quiet.post('Just browsing, thanks')
const quietId = (await quiet.session()).session_id as string

const lee = visitor(app)
await lee.post('I am Lee Park, lee.park@example.com')
const leeSession = (await lee.session()).session_id as string
const leeCustomer = uuidv7()
await db.insertInto('customers').values({ id: leeCustomer, email: 'lee.park@example.com' }).execute()
await db.updateTable('sessions').set({ customer_id: leeCustomer }).where('id', '=', leeSession).execute()
await db.insertInto('profiles').values({ id: uuidv7(), customer_id: leeCustomer, customer_name: 'Lee Park', email: 'lee.park@example.com' }).execute()

t.test('leads: customers and anonymous sessions with contact details, with their messages and exact cost', async (t) => {
  const res = await get('/api/admin/leads')
  t.equal(res.statusCode, 200)
  const { leads, next_cursor: next } = res.json()
  t.equal(next, null)
  const bySession = Object.fromEntries(leads.map((l: { session_id: string }) => [l.session_id, l]))
  t.notOk(bySession[quietId], 'a session with no contact details is not a lead')
  t.match(bySession[danaId], { kind: 'session', customer_id: null, customer_name: 'Dana Reyes', email: 'dana.reyes@example.com', phone: '+14155550134', messages: 4, products_of_interest: ['solar panels'], services_of_interest: ['installation'] })
  const usage = (await app.inject({ url: `/api/session/${danaId}/usage`, headers: ADMIN_AUTH })).json()
  t.equal(bySession[danaId].cost, usage.cost, 'cost equals the usage report')
  t.equal(usage.cost, '0.000323456')
  t.match(bySession[samId], { kind: 'session', customer_name: 'Sam Okafor', email: null })
  t.match(bySession[leeSession], { kind: 'customer', customer_id: leeCustomer, customer_name: 'Lee Park', email: 'lee.park@example.com' })
  t.equal(leads.filter((l: { session_id: string }) => l.session_id === leeSession).length, 1, 'the customer is one row, not also its session')
  const times = leads.map((l: { last_activity_at: string }) => Date.parse(l.last_activity_at))
  t.same(times, [...times].sort((a, b) => b - a), 'newest activity first')
})

t.test('leads: search, interest, dates and sorts', async (t) => {
  const names = async (query: string) => (await get(`/api/admin/leads?${query}`)).json().leads.map((l: { customer_name: string }) => l.customer_name)
  t.same(await names('q=dana'), ['Dana Reyes'], 'search by name, any case')
  t.same(await names('q=555-0134'), [], 'the phone is stored normalised')
  t.same(await names('q=%2B1415'), ['Dana Reyes'], 'search by phone')
  t.same(await names('q=lee.park%40'), ['Lee Park'], 'a customer by email')
  t.same(await names('q=%25'), [], 'a % is searched for literally, not a wildcard')
  t.same(await names("q=O'Brien"), [], 'an apostrophe is fine')
  t.same(await names('interest=Heat%20Pump'), ['Sam Okafor'], 'interest, any case')
  t.same(await names('sort=name&order=asc'), ['Dana Reyes', 'Lee Park', 'Sam Okafor'])
  t.same(await names('sort=email&order=desc'), ['Lee Park', 'Dana Reyes', 'Sam Okafor'])
  const today = new Date().toISOString().slice(0, 10)
  t.equal((await names(`from=${today}&to=${today}`)).length, 3, 'active today')
  t.same(await names('to=2020-01-01'), [], 'nothing before 2020')
})

t.test('leads: cursor pagination visits every lead once, in order', async (t) => {
  for (const sort of ['last_activity', 'first_seen', 'name', 'email']) {
    for (const order of ['asc', 'desc']) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { leads: Array<{ session_id: string }>, next_cursor: string | null } = (await get(`/api/admin/leads?limit=1&sort=${sort}&order=${order}${cursor ? `&cursor=${cursor}` : ''}`)).json()
        seen.push(...page.leads.map((l: { session_id: string }) => l.session_id))
        cursor = page.next_cursor
      } while (cursor && seen.length < 10)
      const all = (await get(`/api/admin/leads?sort=${sort}&order=${order}`)).json().leads.map((l: { session_id: string }) => l.session_id)
      t.same(seen, all, `${sort} ${order}: pages equal the whole list`)
    }
  }
})

t.test('leads: bad input is a 400 in the error shape', async (t) => {
  const first = (await get('/api/admin/leads?limit=1')).json().next_cursor as string
  const [payload, mac] = first.split('.')
  const forged = Buffer.from(JSON.stringify({ sort: 'last_activity', order: 'desc', value: '2099-01-01', id: quietId })).toString('base64url')
  const cases: Record<string, string> = {
    'a tampered cursor': `cursor=${payload}.${mac!.slice(1)}A`,
    'a made-up cursor': `cursor=${forged}.${mac}`,
    'a cursor of another order': `limit=1&order=asc&cursor=${first}`,
    'garbage cursor': 'cursor=%27%3B%20drop%20table%20sessions',
    'a huge limit': 'limit=100000',
    'a zero limit': 'limit=0',
    'an unknown sort key': 'sort=cost%3Bdrop',
    'SQL-looking search text': 'q=%27%20OR%201%3D1%20--',
    'a statement in the search': 'q=x%27%3B%20DELETE%20FROM%20sessions',
    'a reversed range': 'from=2026-03-01&to=2026-02-01',
    'a day that does not exist': 'from=2026-02-31',
    'an unknown parameter': 'debug=1'
  }
  for (const [what, query] of Object.entries(cases)) {
    const res = await get(`/api/admin/leads?${query}`)
    t.equal(res.statusCode, 400, what)
    t.same(Object.keys(res.json().error).sort(), ['code', 'message'], `${what}: the error shape`)
  }
  t.equal((await db.selectFrom('sessions').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n, 4, 'nothing was touched')
})

t.test('CSV export: every lead, RFC 4180 quoting, and no cell a spreadsheet would run', async (t) => {
  await db.updateTable('profiles').set({ customer_name: '=HYPERLINK("http://evil.example","click")', address_city: 'x' }).where('session_id', '=', samId).execute()
  t.teardown(async () => { await db.updateTable('profiles').set({ customer_name: 'Sam Okafor' }).where('session_id', '=', samId).execute() })
  const res = await get('/api/admin/leads.csv?sort=name&order=asc')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/)
  const lines = res.body.split('\r\n').filter(Boolean)
  t.equal(lines[0], '"kind","customer_id","session_id","customer_name","email","phone","products_of_interest","services_of_interest","first_seen_at","last_activity_at","messages","cost"')
  t.equal(lines.length, 4, 'a header and three leads')
  const sams = lines.find((l) => l.includes(samId))!
  t.match(sams, '"\'=HYPERLINK(""http://evil.example"",""click"")"', 'formula neutralised, quotes doubled')
  const danas = lines.find((l) => l.includes(danaId))!
  t.match(danas, '"\'+14155550134"', 'a phone starting with + is neutralised too')
  t.match(danas, '"solar panels"')
  t.match(danas, '"0.000323456"', 'money as the exact decimal')
  t.equal((await get('/api/admin/leads.csv?q=%3Dcmd')).statusCode, 400, 'the export takes the same checked filters')
})

t.test('transcript: each reply with model, status, tokens, cost, latency and first token; each human message with its facts', async (t) => {
  const res = await get(`/api/admin/conversations/${danaId}`)
  t.equal(res.statusCode, 200)
  const { session, messages, next_cursor: next } = res.json()
  t.match(session, { session_id: danaId, customer_name: 'Dana Reyes', messages: 4, requests: 2, cost: '0.000323456', customer_id: null, other_sessions: [] })
  t.equal(next, null)
  t.same(messages.map((m: { role: string }) => m.role), ['human', 'assistant', 'human', 'assistant'])
  const [first, reply] = messages
  t.equal(first.content, DANA_MESSAGE)
  const facts = first.facts.map((f: { field: string }) => f.field).sort()
  t.ok(['customer_name', 'email', 'phone', 'products_of_interest'].every((f) => facts.includes(f)), 'the facts it gave')
  t.match(first.facts.find((f: { field: string }) => f.field === 'email'), { new_value: 'dana.reyes@example.com', extractor: 'rules' })
  t.match(reply, { status: 'complete', llm_status: 'complete', cost: '0.000123456', facts: [] })
  t.ok(reply.model && reply.total_tokens > 0 && reply.prompt_tokens > 0, 'model and tokens')
  t.ok(Number.isInteger(reply.latency_ms) && Number.isInteger(reply.ttft_ms), 'latency and time to first token')
  t.same(messages[2].facts, [], 'a message that taught nothing')

  const page = (await get(`/api/admin/conversations/${danaId}?limit=3`)).json()
  t.equal(page.messages.length, 3)
  const rest = (await get(`/api/admin/conversations/${danaId}?after=${page.next_cursor}`)).json()
  t.same(rest.messages.map((m: { id: string }) => m.id), [messages[3].id], 'the page after the cursor')

  const samMessage = await db.selectFrom('messages').select('id').where('session_id', '=', samId).executeTakeFirstOrThrow()
  t.equal((await get(`/api/admin/conversations/${danaId}?after=${samMessage.id}`)).statusCode, 400, 'a cursor of another session')
  t.equal((await get(`/api/admin/conversations/${uuidv7()}`)).statusCode, 404, 'an unknown session')
  t.equal((await get('/api/admin/conversations/not-a-uuid')).statusCode, 400)
  t.equal((await get(`/api/admin/conversations/${danaId}?limit=100000`)).statusCode, 400)
})

t.test('costs: per day by model and purpose, latency percentiles, per model and per lead, from the books and live', async (t) => {
  // Three closed days of known requests for Dana's and Quiet's sessions, besides today's live ones.
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)
  const rows = [
    { n: 3, session: danaId, model: 'm/a', purpose: 'chat', cost: '0.1', latency: 100, ttft: 10 },
    { n: 3, session: danaId, model: 'm/a', purpose: 'chat', cost: '0.2', latency: 200, ttft: 20 },
    { n: 3, session: quietId, model: 'm/b', purpose: 'profile_extraction', cost: '0.000000001', latency: 300, ttft: 30 },
    { n: 2, session: quietId, model: 'm/b', purpose: 'chat', cost: '0.3', latency: 400, ttft: null },
    { n: 40, session: quietId, model: 'm/b', purpose: 'chat', cost: '9', latency: 1, ttft: 1 }
  ]
  await db.insertInto('llm_requests').values(rows.map((r) => ({
    id: uuidv7(),
    session_id: r.session,
    provider: 'openrouter',
    model: r.model,
    request_body: JSON.stringify({ metadata: { purpose: r.purpose } }) as never,
    response_body: JSON.stringify({ status: 'complete', ttft_ms: r.ttft }) as never,
    prompt_tokens: 10,
    completion_tokens: 5,
    total_tokens: 15,
    computed_cost: r.cost,
    latency_ms: r.latency,
    created_at: new Date(`${day(r.n)}T12:00:00Z`)
  }))).execute()

  const range = `from=${day(6)}&to=${day(0)}`
  const daily = (await get(`/api/admin/costs/daily?${range}`)).json()
  t.equal(daily.from, day(6))
  const row = (d: string | null, model: string | null, purpose: string | null) =>
    daily.usage.find((u: { day: string | null, model: string | null, purpose: string | null }) => u.day === d && u.model === model && u.purpose === purpose)
  t.match(row(day(3), 'm/a', null), { requests: 2, cost: '0.3', total_tokens: 30 })
  t.match(row(day(3), null, 'profile_extraction'), { requests: 1, cost: '0.000000001' })
  t.match(row(day(2), 'm/b', null), { requests: 1, cost: '0.3' })
  t.notOk(daily.usage.some((u: { day: string | null }) => u.day === day(40)), 'outside the range')
  const latency3 = daily.latency.find((l: { day: string }) => l.day === day(3))
  t.match(latency3, { requests: 3, latency_p50_ms: 200, ttft_p50_ms: 20 })
  t.equal(latency3.latency_p95_ms, 290, 'percentile_cont interpolates')
  const today = daily.latency.find((l: { day: string }) => l.day === day(0))
  t.ok(today && today.requests >= 3, 'today is aggregated live')

  const books = await db.selectFrom('llm_latency_daily').select(sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day')).execute()
  t.same(books.map((b) => b.day).sort(), [day(6), day(5), day(4), day(3), day(2), day(1)], 'closed days are in the books, today is not')
  const again = (await get(`/api/admin/costs/daily?${range}`)).json()
  t.same(again.usage, daily.usage, 'the books answer the same')

  const summary = (await get(`/api/admin/costs/summary?${range}`)).json()
  const model = (name: string) => summary.models.find((m: { model: string }) => m.model === name)
  t.match(model('m/a'), { requests: 2, cost: '0.3', day: null })
  t.match(model('m/b'), { requests: 2, cost: '0.300000001' })
  // Leads with an email or a phone (or a customer) and a request in range: Dana and Lee (Quiet left nothing, Sam
  // only a name).
  const leeCost = (await app.inject({ url: `/api/session/${leeSession}/usage`, headers: ADMIN_AUTH })).json().cost as string
  const { rows: [expected] } = await sql<{ spend: string, each: string }>`select (0.300323456 + ${leeCost}::numeric)::text as spend,
    trim_scale(round((0.300323456 + ${leeCost}::numeric) / 2, 9))::text as each`.execute(db)
  t.same(summary.per_lead, { leads: 2, spend: expected!.spend, cost_per_lead: expected!.each })

  for (const [what, query] of Object.entries({
    reversed: `from=${day(1)}&to=${day(5)}&from=${day(9)}`,
    'reversed range': `from=${day(1)}&to=${day(5)}`,
    'over a year': 'from=2024-01-01&to=2025-06-01',
    'not a day': 'from=2026-13-01',
    'not a date': 'from=yesterday'
  })) {
    const res = await get(`/api/admin/costs/daily?${query}`)
    t.equal(res.statusCode, 400, what)
    t.ok(res.json().error.code, `${what}: the error shape`)
    t.equal((await get(`/api/admin/costs/summary?${query}`)).statusCode, 400, `${what} (summary)`)
  }
})

t.test('collisions: both sessions side by side with their profiles and last messages', async (t) => {
  const twin = visitor(app)
  await twin.post('Hi, I am D. Reyes, my email is dana.reyes@example.com')
  const twinId = (await twin.session()).session_id as string
  const res = await get('/api/admin/collisions')
  t.equal(res.statusCode, 200)
  const [collision] = res.json().collisions
  t.match(collision, { email: 'dana.reyes@example.com', status: 'open' })
  const sides = [collision.session, collision.other_session]
  const twinSide = sides.find((s: { session_id: string }) => s.session_id === twinId)
  const danaSide = sides.find((s: { session_id: string }) => s.session_id === danaId)
  t.match(danaSide, { customer_name: 'Dana Reyes', phone: '+14155550134', messages: 4 })
  t.equal(danaSide.last_messages.length, 3, 'the last three messages')
  t.match(twinSide.last_messages[0], { role: 'human', content: /dana\.reyes@example\.com/ })
  t.equal((await get('/api/admin/collisions?status=merged')).json().collisions.length, 0)
  t.equal((await get('/api/admin/collisions?status=bogus')).statusCode, 400)
  t.equal((await get('/api/admin/email-collisions')).statusCode, 200, 'the older route still answers')
})

t.test('a merge of a collision whose session was erased is a 4xx in the error shape', async (t) => {
  const first = visitor(app)
  await first.post('Reach me at erased.twin@example.com')
  const second = visitor(app)
  await second.post('my email is erased.twin@example.com')
  const { collisions } = (await get('/api/admin/collisions')).json()
  const collision = collisions.find((c: { email: string }) => c.email === 'erased.twin@example.com')
  t.ok(collision, 'the collision is listed')
  t.same((await second.request({ method: 'DELETE', url: '/api/session' })).json(), { deleted: true }, 'the visitor erases that session')
  const merge = await app.inject({ method: 'POST', url: `/api/admin/email-collisions/${collision.id}/merge`, headers: ADMIN_AUTH })
  t.ok(merge.statusCode >= 400 && merge.statusCode < 500, `merge answered ${merge.statusCode}`)
  t.same(Object.keys(merge.json().error).sort(), ['code', 'message'])
  t.notOk((await get('/api/admin/collisions')).json().collisions.some((c: { id: string }) => c.id === collision.id), 'and it is gone from the list')
})
