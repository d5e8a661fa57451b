// Bad input, case by case: each gets a clear 4xx in the error shape, the server stays up, and nothing stored changes.
// Cases Node answers before Fastify sees them (oversized heads, garbled requests) are sent over a real socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { sql, type Kysely } from 'kysely'
import type { InjectOptions } from 'fastify'
import type { DB } from '../../db/types.ts'
import { buildChatApp, TEST_API_KEY, visitor } from '../helpers/chat-app.ts'
import { buildTestApp } from '../helpers/app.ts'

const TABLES = ['sessions', 'messages', 'llm_requests', 'profiles', 'profile_updates', 'email_collisions'] as const

/**
 * A digest of every row of every table: any insert, update or delete changes it. Except sessions.last_activity_at: a
 * request that carries a valid cookie is a visit, even when what it asks for is refused.
 */
async function snapshot (db: Kysely<DB>): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of TABLES) {
    const row = table === 'sessions' ? sql`(t.id, t.session_key, t.email, t.is_anonymous, t.created_at, t.metadata)::text` : sql`t::text`
    const { rows } = await sql<{ digest: string | null }>`select md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as digest from ${sql.table(table)} t`.execute(db)
    out[table] = rows[0]!.digest ?? ''
  }
  return out
}

const json = { 'content-type': 'application/json' }
const big = (n: number) => 'x'.repeat(n)

interface Case { name: string, request: InjectOptions, status: number, code: string | RegExp, field?: string }

const CASES: Case[] = [
  { name: 'NUL in the message', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":"a\\u0000b"}' }, status: 400, code: 'invalid_request' },
  { name: 'a lone surrogate', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":"a\\ud800b"}' }, status: 400, code: 'invalid_request' },
  { name: 'a lone low surrogate', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":"\\udfff"}' }, status: 400, code: 'invalid_request' },
  { name: 'invalid UTF-8 bytes', request: { method: 'POST', url: '/chat', headers: json, payload: Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) }, status: 400, code: 'invalid_request' },
  { name: 'an overlong UTF-8 encoding', request: { method: 'POST', url: '/chat', headers: json, payload: Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]) }, status: 400, code: 'invalid_request' },
  { name: 'a 1 MB body', request: { method: 'POST', url: '/chat', headers: json, payload: JSON.stringify({ message: big(1 << 20) }) }, status: 413, code: 'body_too_large' },
  { name: 'text/plain', request: { method: 'POST', url: '/chat', headers: { 'content-type': 'text/plain' }, payload: 'hello' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a form post', request: { method: 'POST', url: '/chat', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'message=hello' }, status: 415, code: 'unsupported_media_type' },
  { name: 'multipart', request: { method: 'POST', url: '/chat', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--x--' }, status: 415, code: 'unsupported_media_type' },
  { name: 'JSON in another charset', request: { method: 'POST', url: '/chat', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, payload: '{"message":"hi"}' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a body with no content type', request: { method: 'POST', url: '/chat', payload: '{"message":"hi"}' }, status: 415, code: 'unsupported_media_type' },
  { name: 'malformed JSON', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":' }, status: 400, code: 'invalid_json' },
  { name: 'an empty JSON body', request: { method: 'POST', url: '/chat', headers: json, payload: '' }, status: 400, code: 'invalid_json' },
  { name: 'prototype pollution', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":"hi","__proto__":{"admin":true}}' }, status: 400, code: 'invalid_json' },
  { name: 'a JSON array', request: { method: 'POST', url: '/chat', headers: json, payload: '["hi"]' }, status: 400, code: 'invalid_request', field: 'body' },
  { name: 'a number for the message', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":42}' }, status: 400, code: 'invalid_request', field: 'body.message' },
  { name: 'an unknown field', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":"hi","role":"system"}' }, status: 400, code: 'invalid_request', field: 'body.role' },
  { name: 'a bad client_message_id', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":"hi","client_message_id":"../../etc/passwd"}' }, status: 400, code: 'invalid_request', field: 'body.client_message_id' },
  { name: 'a blank message', request: { method: 'POST', url: '/chat', headers: json, payload: '{"message":" \\n\\t "}' }, status: 400, code: 'empty_message' },
  { name: 'a message over max_message_chars', request: { method: 'POST', url: '/chat', headers: json, payload: JSON.stringify({ message: big(8001) }) }, status: 413, code: 'message_too_long' },
  { name: 'a stream with no message', request: { url: '/events/stream' }, status: 400, code: 'invalid_request', field: 'query.message' },
  { name: 'a stream message with %00', request: { url: '/events/stream?message=a%00b' }, status: 400, code: 'invalid_request' },
  { name: 'an encoded lone surrogate in the query', request: { url: '/events/stream?message=%ED%A0%80' }, status: 400, code: 'invalid_request' },
  { name: 'invalid UTF-8 in the query', request: { url: '/events/stream?message=%FF%FE' }, status: 400, code: 'invalid_request' },
  { name: 'a truncated percent-escape', request: { url: '/events/stream?message=100%' }, status: 400, code: 'invalid_request' },
  { name: 'a repeated query key', request: { url: '/events/stream?message=a&message=b' }, status: 400, code: 'invalid_request', field: 'query.message' },
  { name: 'a query string over 16 KiB', request: { url: `/events/stream?message=${big(20_000)}` }, status: 414, code: 'uri_too_long' },
  { name: 'a huge junk query on history', request: { url: `/api/session/messages?${'a=b&'.repeat(10_000)}` }, status: 414, code: 'uri_too_long' },
  { name: 'a negative limit', request: { url: '/api/session/messages?limit=-1' }, status: 400, code: 'invalid_request', field: 'query.limit' },
  { name: 'a limit that is not a number', request: { url: '/api/session/messages?limit=abc' }, status: 400, code: 'invalid_request', field: 'query.limit' },
  { name: 'a huge limit', request: { url: '/api/session/messages?limit=1e9' }, status: 400, code: 'invalid_request', field: 'query.limit' },
  { name: 'a cursor that is not an id', request: { url: '/api/session/messages?before=../../etc/passwd' }, status: 400, code: 'invalid_request', field: 'query.before' },
  { name: 'a cursor from nowhere', request: { url: '/api/session/messages?before=01900000-0000-7000-8000-000000000000' }, status: 400, code: 'invalid_cursor' },
  { name: 'an overlong path parameter', request: { url: `/api/session/${big(300)}/usage` }, status: 404, code: 'not_found' },
  { name: 'traversal in a path parameter', request: { url: '/api/session/..%2F..%2Fpackage.json/usage' }, status: 404, code: 'not_found' },
  { name: 'a bad percent-escape in the path', request: { url: '/api/%E0%A4%A/session' }, status: 400, code: 'invalid_request' },
  { name: 'PUT on /chat', request: { method: 'PUT', url: '/chat', headers: json, payload: '{"message":"hi"}' }, status: 404, code: 'not_found' },
  { name: 'GET on /chat', request: { url: '/chat' }, status: 404, code: 'not_found' }
]

const TRAVERSALS = [
  '/assets/../../package.json',
  '/assets/%2e%2e/%2e%2e/package.json',
  '/assets/..%2f..%2fpackage.json',
  '/assets/..%5c..%5cpackage.json',
  '/%2e%2e/app.yaml',
  '/..%2f.env.example',
  '/assets/%252e%252e/%252e%252e/package.json',
  '/assets/index.html%00.js',
  '/.git/config',
  '/client/dist/../../package.json'
]
const SECRETS_ON_DISK = /"name": "salient-chat"|shutdown_grace_ms|DATABASE_URL|repositoryformatversion/

t.test('each bad input gets its 4xx in the error shape, the server stays up, and nothing stored changes', async (t) => {
  const { app, db } = await buildChatApp(t)
  const v = visitor(app)
  t.equal((await v.post('a real message first')).statusCode, 200)
  const before = await snapshot(db)
  for (const c of CASES) {
    const res = await v.request(c.request)
    t.equal(res.statusCode, c.status, `${c.name}: ${res.statusCode}`)
    t.match(res.headers['content-type'], /^application\/json/, `${c.name}: JSON`)
    const body = res.json()
    t.match(body, { error: { code: c.code, message: String } }, `${c.name}: ${body.error?.code}`)
    if (c.field) t.match(body.error.message, c.field, `${c.name}: names ${c.field}`)
  }
  t.same(await snapshot(db), before, 'no table changed')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'still up')
})

t.test('malformed and oversized cookies are never adopted: a fresh session, nothing else touched', async (t) => {
  const { app, db } = await buildChatApp(t)
  const first = await app.inject({ url: '/api/session' })
  const realId = first.json().session_id
  for (const cookie of ['salient_session=%%%', 'salient_session="unterminated', `salient_session=${big(5000)}`, 'salient_session=\u00ff\u00fe', 'salient_session', '=;=;;', 'salient_session=a; salient_session=b']) {
    const res = await app.inject({ url: '/api/session', headers: { cookie } })
    t.equal(res.statusCode, 200, `${cookie.slice(0, 30)}: answered`)
    t.not(res.json().session_id, realId)
    const history = await app.inject({ url: '/api/session/messages', headers: { cookie } })
    t.same(history.json(), { messages: [], has_more: false }, 'an unknown cookie reads nothing')
  }
  const rows = await db.selectFrom('sessions').select('session_key').execute()
  t.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.session_key)), 'only hashes are stored')
})

t.test('path traversal in static paths never serves a file outside the client build', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of TRAVERSALS) {
    const res = await app.inject({ url })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`)
    t.notMatch(res.body, SECRETS_ON_DISK, `${url}: no file contents`)
  }
})

/** Sends raw bytes over a socket and returns the raw response (the server closes: Connection: close, or an error). */
async function raw (port: number, request: string | Buffer): Promise<string> {
  return await new Promise((resolve, reject) => {
    // write, not end: a half-closed socket is dropped by Node before a slower (async) response is written
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    socket.setTimeout(5000, () => socket.destroy(new Error('no response in time')))
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.on('error', reject)
  })
}

function statusOf (response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0)
}

function bodyOf (response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))
}

t.test('over a real socket: oversized heads, garbled requests and raw traversal get JSON 4xx too', async (t) => {
  const { app } = await buildTestApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo

  const longUrl = await raw(port, `GET /events/stream?message=${big(40_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.equal(statusOf(longUrl), 431, 'a 40 kB URL: 431')
  t.match(bodyOf(longUrl), { error: { code: 'headers_too_large', message: String } })

  const cookie = await raw(port, `GET /api/session HTTP/1.1\r\nHost: x\r\nCookie: salient_session=${big(20_000)}\r\n\r\n`)
  t.equal(statusOf(cookie), 431, 'a 20 kB cookie: 431')
  t.match(bodyOf(cookie), { error: { code: 'headers_too_large' } })

  const garbled = await raw(port, 'THIS IS NOT HTTP\r\n\r\n')
  t.equal(statusOf(garbled), 400, 'a garbled request line: 400')
  t.match(bodyOf(garbled), { error: { code: 'invalid_request' } })

  const rawBytes = await raw(port, Buffer.concat([Buffer.from('GET /events/stream?message='), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]))
  t.ok(statusOf(rawBytes) >= 400 && statusOf(rawBytes) < 500, `raw non-ASCII bytes in the URL: ${statusOf(rawBytes)}`)
  t.match(bodyOf(rawBytes), { error: { code: String, message: String } })

  for (const url of TRAVERSALS) {
    const res = await raw(port, `GET ${url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
    t.ok(statusOf(res) >= 400 && statusOf(res) < 500, `${url} over a socket: ${statusOf(res)}`)
    t.notMatch(res, SECRETS_ON_DISK, `${url}: no file contents`)
  }
  t.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200, 'still up')
})

t.test('text from the LLM with NUL, lone surrogates or invalid bytes is cleaned, not lost', async (t) => {
  const { app, db, fake } = await buildChatApp(t)
  fake.enqueue({ reply: ['Hello\u0000 world', ' \ud800half', ' pair\udc00 end'] })
  const v = visitor(app)
  const streamed = await v.stream('say something odd')
  t.match(streamed.end, { status: 'complete' })
  const [reply] = await db.selectFrom('messages').select('content').where('role', '=', 'assistant').execute()
  t.equal(reply!.content, 'Hello world \ufffdhalf pair\ufffd end', 'NUL dropped, each lone surrogate replaced, every word kept')

  // Raw invalid UTF-8 from upstream, which the loopback fake (JSON.stringify) cannot produce.
  const upstream = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    const chunk = (content: Buffer, finish: string | null) => Buffer.concat([
      Buffer.from('data: {"id":"gen-raw","model":"m","choices":[{"index":0,"delta":{"content":"'), content,
      Buffer.from(`"},"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`)])
    res.write(chunk(Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0x20]), null))
    res.write(chunk(Buffer.from('kept'), 'stop'))
    res.end('data: {"id":"gen-raw","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"cost":0.00001}}\n\ndata: [DONE]\n\n')
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => upstream.close(resolve)))
  const { app: rawApp, db: rawDb } = await buildTestApp(t, {
    config: { llm: { provider: 'openrouter', api_key: TEST_API_KEY, base_url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, max_retries: 0 } }
  })
  const res = await rawApp.inject({ method: 'POST', url: '/chat', headers: { ...json, accept: 'application/json' }, payload: { message: 'bytes please' } })
  t.equal(res.statusCode, 200)
  const [saved] = await rawDb.selectFrom('messages').select('content').where('role', '=', 'assistant').execute()
  t.equal(saved!.content, 'ok \ufffd\ufffd kept', 'invalid bytes became U+FFFD; the rest of the reply is kept')
  t.equal(res.json().reply, saved!.content)
})
