// Property-based fuzzing (fast-check) of POST /chat, GET /events/stream and GET /api/session/messages through
// app.inject: generated bodies, content types, query strings and cookies. Whatever arrives, the answer is a 2xx or a
// 4xx in the error shape (never a 5xx), and what is stored is exactly what was accepted. FUZZ_RUNS and FUZZ_SEED
// override the run count and the seed (a failure prints both, to replay it).
import t from 'tap'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { buildTestApp, cookieFrom } from '../helpers/app.ts'
import { testDatabase } from '../helpers/db.ts'
import { maintenanceUrl, withClient } from '../helpers/postgres-server.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31
const ERROR_STATUSES = new Set([400, 404, 409, 413, 414, 415])

// Any code points (NUL and lone surrogates included), readable text, and the edges that matter.
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '\u0000', 'a\u0000', '\ud800', 'x\udc00y', '\ufeff', 'x'.repeat(8000), 'x'.repeat(8001), '[[fake:hang]]', '<script>alert(1)</script>', "'; drop table messages; --") }
)
const json = fc.jsonValue({ maxDepth: 2 })
const clientMessageId = fc.option(fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/), fc.string({ maxLength: 12 }), fc.integer()), { nil: undefined })
const cookie = fc.oneof(
  { weight: 8, arbitrary: fc.constant('session') },
  { weight: 1, arbitrary: fc.constant('none') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((junk) => `salient_session=${junk.replace(/[\r\n]/g, '')}`) }
)

const chat = fc.record({
  kind: fc.constant('chat' as const),
  body: fc.oneof(
    { weight: 6, arbitrary: fc.record({ message: fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: json }), client_message_id: clientMessageId }, { requiredKeys: ['message'] }) },
    { weight: 1, arbitrary: fc.record({ message: text, extra: json }) },
    { weight: 1, arbitrary: json }
  ),
  encoding: fc.constantFrom('json', 'json', 'json', 'json', 'bytes', 'truncated'),
  bytes: fc.uint8Array({ maxLength: 48 }),
  cut: fc.nat(),
  contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data', undefined),
  accept: fc.constantFrom('application/json', 'text/plain', undefined),
  cookie
})

// Query strings built by hand: UTF-8 percent-encoding, or WTF-8 (encoded lone surrogates), or raw junk.
const queryValue = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 12 }) })
const queryPairs = (keys: string[]) => fc.array(fc.tuple(fc.constantFrom(...keys), queryValue), { maxLength: 4 })
const stream = fc.record({
  kind: fc.constant('stream' as const),
  pairs: fc.oneof({ weight: 4, arbitrary: fc.tuple(text, clientMessageId).map(([m, id]) => [['message', m], ...(id === undefined ? [] : [['client_message_id', String(id)]])] as Array<[string, string]>) }, { weight: 2, arbitrary: queryPairs(['message', 'client_message_id', 'x', 'message[]', '']) }),
  encoding: fc.constantFrom('utf8', 'utf8', 'utf8', 'wtf8', 'raw'),
  suffix: fc.constantFrom('', '', '', '&', '%', '%G1', '%FF', '%ED%A0%80', '%00', '&message', '#frag'),
  cookie
})
const history = fc.record({
  kind: fc.constant('history' as const),
  limit: fc.option(fc.oneof(
    // Mostly short pages: the session grows to thousands of messages, and a 200-message page of them costs time.
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }).map(String) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 300 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('1e9', '1.5', ' 7', '0x10', 'NaN', '', '50abc') },
    { weight: 1, arbitrary: fc.string({ maxLength: 5 }) }
  )),
  before: fc.option(fc.oneof({ weight: 3, arbitrary: fc.nat().map((n) => ({ own: n })) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) })),
  extra: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: queryPairs(['x', 'limit', 'before', '__proto__']) }),
  encoding: fc.constantFrom('utf8', 'utf8', 'wtf8', 'raw'),
  cookie
})

/** Percent-encodes every byte but unreserved ASCII; `wtf8` keeps lone surrogates as their (invalid) 3-byte forms. */
function encode (value: string, encoding: string): string {
  // Raw: as typed, less what cannot stand in a request line (controls, spaces) or would end the value; a lone
  // surrogate cannot travel in a URL at all: it arrives as U+FFFD.
  if (encoding === 'raw') return value.toWellFormed().replace(/[#&\s\p{Cc}]/gu, '')
  const bytes: number[] = []
  for (let i = 0; i < value.length; i++) {
    const cp = value.codePointAt(i)!
    if (cp > 0xffff) i++
    const lone = cp >= 0xd800 && cp <= 0xdfff
    if (lone && encoding === 'wtf8') bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    else bytes.push(...Buffer.from(String.fromCodePoint(lone ? 0xfffd : cp)))
  }
  return bytes.map((b) => /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

function decodeQueryValue (encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

function query (pairs: Array<[string, string]>, encoding: string): string {
  return pairs.map(([k, v]) => `${encode(k, encoding)}=${encode(v, encoding)}`).join('&')
}

type ValueOf<A> = A extends fc.Arbitrary<infer V> ? V : never
type Input = ValueOf<typeof chat> | ValueOf<typeof stream> | ValueOf<typeof history>

t.test(`${RUNS} generated requests to the chat and history routes: never a 5xx, always the error shape, only accepted turns stored`, async (t) => {
  // Thousands of commits: this file's own database skips the fsync wait (durability on a crash is not under test).
  const database = await testDatabase(t)
  await withClient(maintenanceUrl(database.url), (c) => c.query(`alter database "${database.name}" set synchronous_commit = off`))
  const { app, db } = await buildTestApp(t, {
    databaseUrl: database.url,
    logLevel: 'warn',
    config: { chat: { rate_limit: { per_session_per_minute: 1_000_000, per_ip_per_minute: 1_000_000 } } }
  })
  const first = await app.inject({ url: '/api/session' })
  const sessionCookie = cookieFrom(first.headers['set-cookie'])
  const sessionId = first.json().session_id as string
  const keysIssued = new Set([sessionCookie.split('=')[1]])
  const acceptedHumans: string[] = []
  const seenClientIds = new Set<string>()
  const ownMessageIds: string[] = []
  const tally: Record<string, number> = {}

  function request (input: Input): { options: InjectOptions, message?: string, clientId?: string } {
    const headers: Record<string, string> = {}
    if (input.cookie === 'session') headers.cookie = sessionCookie
    else if (input.cookie !== 'none') headers.cookie = input.cookie
    if (input.kind === 'chat') {
      const jsonText = JSON.stringify(input.body) ?? ''
      const payload = input.encoding === 'bytes' ? Buffer.from(input.bytes) : input.encoding === 'truncated' ? jsonText.slice(0, input.cut % (jsonText.length + 1)) : jsonText
      if (input.contentType) headers['content-type'] = input.contentType
      if (input.accept) headers.accept = input.accept
      const body = input.body as { message?: unknown, client_message_id?: unknown }
      return { options: { method: 'POST', url: '/chat', headers, payload }, message: typeof body?.message === 'string' ? body.message : undefined, clientId: typeof body?.client_message_id === 'string' ? body.client_message_id : undefined }
    }
    if (input.kind === 'stream') {
      // What the server reads: the encoded value decoded again ('+' is a space); a value that does not decode is refused.
      const serverValue = (key: string) => {
        const value = input.pairs.find(([k]) => k === key)?.[1]
        return value === undefined ? undefined : decodeQueryValue(encode(value, input.encoding))
      }
      return { options: { url: `/events/stream?${query(input.pairs, input.encoding)}${input.suffix}`, headers }, message: serverValue('message'), clientId: serverValue('client_message_id') }
    }
    const pairs: Array<[string, string]> = [...input.extra]
    if (input.limit !== null) pairs.push(['limit', input.limit])
    if (input.before !== null) pairs.push(['before', typeof input.before === 'string' ? input.before : ownMessageIds[input.before.own % Math.max(1, ownMessageIds.length)] ?? 'none'])
    return { options: { url: `/api/session/messages?${query(pairs, input.encoding)}`, headers } }
  }

  const property = fc.asyncProperty(fc.oneof({ weight: 9, arbitrary: chat }, { weight: 5, arbitrary: stream }, { weight: 6, arbitrary: history }), async (input) => {
    const { options, message, clientId } = request(input)
    const res = await app.inject(options)
    const key = `${input.kind} ${res.statusCode}`
    tally[key] = (tally[key] ?? 0) + 1
    const setCookie = res.headers['set-cookie']
    if (setCookie) keysIssued.add(cookieFrom(setCookie).split('=')[1])
    if (res.statusCode >= 300) {
      if (!ERROR_STATUSES.has(res.statusCode)) throw new Error(`unexpected status ${res.statusCode}: ${res.body.slice(0, 300)}`)
      if (!/^application\/json/.test(String(res.headers['content-type']))) throw new Error(`error without JSON: ${res.headers['content-type']}`)
      const body = res.json() as { error?: { code?: unknown, message?: unknown } }
      if (typeof body.error?.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(body.error.code) || typeof body.error.message !== 'string' || body.error.message === '') {
        throw new Error(`not the error shape: ${res.body.slice(0, 300)}`)
      }
      return
    }
    if (input.kind === 'history') {
      const body = res.json() as { messages: Array<{ id: string }>, has_more: boolean }
      if (!Array.isArray(body.messages) || typeof body.has_more !== 'boolean') throw new Error(`history shape: ${res.body.slice(0, 300)}`)
      if (input.cookie !== 'session') {
        if (body.messages.length > 0) throw new Error('history without a valid cookie returned messages')
        return
      }
      const ids = body.messages.map((m) => m.id)
      const own = ids.length === 0 ? [] : await db.selectFrom('messages').select('id').where('id', 'in', ids).where('session_id', '=', sessionId).execute()
      if (own.length !== ids.length) throw new Error('history returned a message of another session')
      ownMessageIds.push(...ids)
      return
    }
    if (message === undefined) throw new Error(`a turn was accepted without a message: ${JSON.stringify(options.url)}`)
    if (input.kind === 'stream' && !/event: end\ndata: .*\n/.test(res.body)) throw new Error(`an accepted stream without its end event: ${res.body.slice(-300)}`)
    // The same client_message_id in the same session is a retry: answered again, stored once.
    const replay = clientId !== undefined && input.cookie === 'session' && seenClientIds.has(clientId)
    if (clientId !== undefined && input.cookie === 'session') seenClientIds.add(clientId)
    if (replay) return
    acceptedHumans.push(message)
    const last = await db.selectFrom('messages').select('content').where('role', '=', 'human').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
    if (last?.content !== message) throw new Error(`stored ${JSON.stringify(last?.content)} for the accepted ${JSON.stringify(message)}`)
  })

  const started = Date.now()
  t.comment(`fast-check seed ${SEED} (FUZZ_SEED=${SEED} replays it)`)
  await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true })
  const took = Date.now() - started
  t.comment(`${RUNS} inputs in ${took} ms: ${JSON.stringify(Object.fromEntries(Object.entries(tally).sort()))}`)
  t.pass(`${RUNS} generated inputs: no 5xx, every error in the error shape`)

  const humans = await db.selectFrom('messages').select(['id', 'content']).where('role', '=', 'human').execute()
  const sorted = (list: string[]) => [...list].sort()
  t.same(sorted(humans.map((h) => h.content)), sorted(acceptedHumans), 'the stored human messages are exactly the accepted ones, byte for byte')
  const assistants = await db.selectFrom('messages').select('id').where('role', '=', 'assistant').execute()
  t.equal(assistants.length, acceptedHumans.length, 'each with its reply')
  const sessions = await db.selectFrom('sessions').select('id').execute()
  t.ok(sessions.length <= keysIssued.size, 'no session exists that was not handed to a visitor')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'still up')
})
