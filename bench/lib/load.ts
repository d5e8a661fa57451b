// HTTP load with autocannon (latencies kept with sub-millisecond precision), and sessions made straight in the
// database with known cookie keys, so that a load test starts with as many returning visitors as it needs.
import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { DB } from '../../db/types.ts'
import { uuidv7 } from '../../db/uuid7.ts'
import { hashSessionKey } from '../../plugins/app/session.ts'
import { percentile } from './report.ts'

export interface SeededSession { id: string, key: string, cookie: string }

export async function seedSessions (db: Kysely<DB>, count: number, cookieName = 'salient_session'): Promise<SeededSession[]> {
  const sessions: SeededSession[] = []
  for (let i = 0; i < count; i++) {
    const key = randomBytes(32).toString('base64url')
    sessions.push({ id: uuidv7(), key, cookie: `${cookieName}=${key}` })
  }
  for (let i = 0; i < sessions.length; i += 5000) {
    const batch = sessions.slice(i, i + 5000)
    await sql`insert into sessions (id, session_key)
      select * from unnest(${batch.map((s) => s.id)}::uuid[], ${batch.map((s) => hashSessionKey(s.key))}::text[])`.execute(db)
  }
  return sessions
}

export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  /** Paths (and bodies) are taken in turn, one per request. */
  path: string
  body?: string
  headers?: Record<string, string>
  /** Cookie headers, one per request in turn (many visitors). */
  cookies?: string[]
  connections: number
  durationS: number
}

export interface LoadResult {
  requests: number
  ok: number
  non2xx: number
  errors: number
  timeouts: number
  rps: number
  p50: number
  p99: number
  durationS: number
}

export async function load (opts: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = []
  let next = 0
  const cookies = opts.cookies
  const request: autocannon.Request = {
    method: opts.method ?? 'GET',
    path: opts.path,
    body: opts.body,
    headers: { ...opts.headers, ...(opts.body ? { 'content-type': 'application/json' } : {}) }
  }
  if (cookies?.length) {
    request.setupRequest = (req) => {
      req.headers = { ...req.headers, cookie: cookies[next++ % cookies.length]! }
      return req
    }
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: opts.url, connections: opts.connections, duration: opts.durationS, timeout: 30, requests: [request] },
      (err, res) => { if (err) reject(err); else resolve(res) })
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms)
    })
  })
  const ok = latencies.length
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: ok / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    durationS: result.duration
  }
}
