// pino through Fastify: JSON lines, or pretty lines when stdout is a terminal and pino-pretty is installed (a dev
// dependency); secrets redacted.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { FastifyServerOptions } from 'fastify'
import { PROJECT_ROOT } from '../plugins/infrastructure/project-root.ts'

export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization'
]

const prettyOnTerminal = process.stdout.isTTY && existsSync(path.join(PROJECT_ROOT, 'node_modules/pino-pretty'))
  ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
  : {}

export function loggerOptions (level: string, { pretty = true } = {}): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    ...(pretty ? prettyOnTerminal : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // The query string can carry a chat message (GET /events/stream?message=…): log the path only.
      req: (req: { method: string, url: string, id: string, ip?: string }) => ({
        method: req.method, url: req.url.split('?')[0], id: req.id, ip: req.ip
      })
    }
  }
}
