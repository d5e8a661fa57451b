// Server-sent events framing: a multi-line payload becomes one data field per line, which the browser joins with \n.
const LINE_BREAK = /[\r\n]/

export function sseEvent (data: string, event?: string): string {
  const head = event ? `event: ${event}\n` : ''
  // Most deltas are one line: no split, no array.
  if (!LINE_BREAK.test(data)) return `${head}data: ${data}\n\n`
  const lines = data.split(/\r\n|\r|\n/)
  return `${head}${lines.map((line) => `data: ${line}\n`).join('')}\n`
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no'
} as const
