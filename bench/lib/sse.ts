// A minimal SSE client over node:http for many concurrent streams: times the first delta and the end of a stream.
import { request, type Agent } from 'node:http'
import { createParser } from 'eventsource-parser'

export interface StreamTiming {
  status: number
  /** ms from sending the request to the first delta event; NaN when none came. */
  firstDeltaMs: number
  totalMs: number
  deltas: number
  /** The stream closed with its final event (`end` for the chat server, `[DONE]` for OpenRouter). */
  ended: boolean
  error: string | null
  setCookie: string | null
}

export interface StreamRequest {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  agent: Agent
  /** Gives up (and counts an error) after this long. */
  timeoutMs?: number
}

/** Reads one stream to its end. A delta is an unnamed event whose data is not `[DONE]`. */
export function timeStream (opts: StreamRequest): Promise<StreamTiming> {
  return new Promise((resolve) => {
    const started = performance.now()
    const timing: StreamTiming = { status: 0, firstDeltaMs: Number.NaN, totalMs: Number.NaN, deltas: 0, ended: false, error: null, setCookie: null }
    let settled = false
    const finish = (error: string | null) => {
      if (settled) return
      settled = true
      timing.totalMs = performance.now() - started
      if (error && !timing.error) timing.error = error
      clearTimeout(timer)
      resolve(timing)
    }
    const timer = setTimeout(() => { req.destroy(new Error('timeout')) }, opts.timeoutMs ?? 120_000)
    const req = request(opts.url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent }, (res) => {
      timing.status = res.statusCode ?? 0
      const cookie = res.headers['set-cookie']?.[0]
      timing.setCookie = cookie ? cookie.split(';')[0]! : null
      res.setEncoding('utf8')
      const parser = createParser({
        onEvent ({ event, data }) {
          if (event === undefined && data !== '[DONE]') {
            if (timing.deltas === 0) timing.firstDeltaMs = performance.now() - started
            timing.deltas++
          } else if (event === 'end' || data === '[DONE]') {
            timing.ended = true
          } else if (event === 'error') {
            timing.error = data
          }
        }
      })
      res.on('data', (chunk: string) => parser.feed(chunk))
      res.on('end', () => finish(timing.ended ? null : `closed without an end event (status ${timing.status})`))
      res.on('error', (err) => finish(err.message))
    })
    req.on('error', (err) => finish(err.message))
    req.end(opts.body)
  })
}
