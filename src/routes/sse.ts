// Server-sent events framing: a multi-line payload becomes one data field per line, which the browser joins with \n.
export function sseEvent (data: string, event?: string): string {
  const lines = data.split(/\r\n|\r|\n/)
  return `${event ? `event: ${event}\n` : ''}${lines.map((line) => `data: ${line}\n`).join('')}\n`
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no'
} as const
