// Refuses cross-site requests on routes that act for the visitor (config: { sameOrigin: true }): a browser's
// Sec-Fetch-Site says cross-site, or its Origin is not this server. Clients that send neither (curl, servers) pass.
// The framed chat (SPEC §13) changes none of that: its page /embed calls the API from the server's own origin. The
// host site's scripts never call the API. What is checked for the embed is the page itself (`embedFrame`): the site
// the loader says frames it (?host=) must be in embed.allowed_origins, and the browser's Referer, when sent, must
// agree (the CSP frame-ancestors, sent with /embed, is what makes the browser refuse the framing itself).
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { Errors } from './errors/error-classes.ts'

declare module 'fastify' {
  interface FastifyContextConfig { sameOrigin?: boolean }
}

export function isCrossSite (request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true
  const origin = request.headers.origin
  if (!origin) return false
  if (origin === 'null') return true
  try {
    return new URL(origin).host !== request.host
  } catch {
    return true
  }
}

function originOf (url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/** The allowed site an /embed request is for, or null when the request names none or the browser contradicts it. */
export function embedderOf (request: FastifyRequest, allowedOrigins: readonly string[]): string | null {
  const query = request.query as Record<string, unknown> | undefined
  const host = query?.host
  if (typeof host !== 'string' || !allowedOrigins.includes(host)) return null
  const referer = request.headers.referer
  if (referer === undefined) return host // a host page with Referrer-Policy: no-referrer
  const from = originOf(referer)
  // The frame reloading itself sends its own address.
  return from === host || from === originOf(`${request.protocol}://${request.host}`) ? host : null
}

export default fp(async (app) => {
  const allowedOrigins = app.config.embed.allowed_origins
  app.addHook('onRequest', async (request) => {
    const { sameOrigin, embedFrame } = request.routeOptions.config
    if (sameOrigin && isCrossSite(request)) {
      request.log.warn({ event: 'security.cross_site_refused' }, 'cross-site request refused')
      throw new Errors.CrossSite()
    }
    if (embedFrame && embedderOf(request, allowedOrigins) === null) {
      request.log.warn({ event: 'security.embed_refused' }, 'embedding by a site not in embed.allowed_origins refused')
      throw new Errors.EmbedNotAllowed()
    }
  })
}, { name: 'same-origin', dependencies: ['config'] })
