// pino through Fastify: JSON lines; secrets redacted; pretty output is left to the reader's tools (pino-pretty).
import type { FastifyServerOptions } from 'fastify'

export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization'
]

export function loggerOptions (level: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // The query string can carry a chat message (GET /events/stream?message=…): log the path only.
      req: (req: { method: string, url: string, id: string, ip?: string }) => ({
        method: req.method, url: req.url.split('?')[0], id: req.id, ip: req.ip
      })
    }
  }
}
