// The chat on other sites (SPEC §13): GET /widget.js, the launcher a host page loads with one script tag, and
// GET /embed, the chat client in its compact embed mode, which the launcher frames. /widget.js has a stable name, so
// it is cached briefly and revalidated by ETag; the embed page's scripts and styles are the client's hashed assets,
// cached for a year. The allowed sites are written into /widget.js, so the launcher can stay silent on any other
// site without a request of its own; the server enforces the list anyway (same-origin.ts, security-headers.ts).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errorResponses } from './schemas/common.ts'
import { CLIENT_DIST } from './client.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

/** The string literal (any quotes) the build leaves for the launcher's settings (client/src/widget/settings.ts). */
const SETTINGS_PLACEHOLDER = /(["'`])%SALIENT_WIDGET_SETTINGS%\1/
/** Short: a changed allowed-origins list or a new launcher reaches the host pages within five minutes. */
const WIDGET_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=60'

/** 304 has no body by definition; a Type.Null() would be serialised as `null`. */
const NotModified = Type.Unsafe<undefined>({ description: 'Not Modified: no body' })

const EmbedQuerySchema = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 300, description: 'The origin of the page framing the chat' }),
  fresh: Type.Optional(Type.Literal('1', { description: 'Start a new session: another person is logged in on the host site' }))
})

function readBuilt (file: string): string | null {
  const full = path.join(CLIENT_DIST, file)
  return existsSync(full) ? readFileSync(full, 'utf8') : null
}

/** The launcher with its settings filled in, and its ETag; null when the client has not been built. */
function widgetScript (settings: { allowedOrigins: readonly string[], appName: string }): { body: string, etag: string } | null {
  const built = readBuilt('widget.js')
  if (built === null || !SETTINGS_PLACEHOLDER.test(built)) return null
  // A JSON string inside a JS string literal: the launcher parses it (a JSON string is a valid JS string literal).
  const body = built.replace(SETTINGS_PLACEHOLDER, () => JSON.stringify(JSON.stringify(settings)))
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }
}

/** If-None-Match may list several tags, weak or strong (RFC 9110 §13.1.2: compared weakly). */
function matchesEtag (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')
}

const embedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const widget = widgetScript({ allowedOrigins: app.config.embed.allowed_origins, appName: app.config.app.name })
  const embedHtml = readBuilt('embed.html')
  if (!widget || !embedHtml) app.log.warn({ event: 'widget.missing', dir: CLIENT_DIST }, 'widget build missing: run `npm run build:client`')

  app.get('/widget.js', {
    config: { embedScript: true },
    schema: { response: { 200: Type.String(), 304: NotModified, ...errorResponses(503) } }
  }, async (request, reply) => {
    if (!widget) throw new Errors.ClientNotBuilt('chat widget')
    reply.header('cache-control', WIDGET_CACHE_CONTROL).header('etag', widget.etag)
    if (matchesEtag(request.headers['if-none-match'], widget.etag)) return reply.code(304).send(undefined)
    return reply.type('text/javascript; charset=utf-8').send(widget.body)
  })

  app.get('/embed', {
    config: { session: 'create', startsEmbedSession: true, embedFrame: true },
    schema: { querystring: EmbedQuerySchema, response: { 200: Type.String(), ...errorResponses(400, 403, 503) } }
  }, async (_request, reply) => {
    if (!embedHtml) throw new Errors.ClientNotBuilt('chat client')
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(embedHtml)
  })
}

export default embedRoutes
