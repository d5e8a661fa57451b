// Refuses cross-site requests on routes that act for the visitor (config: { sameOrigin: true }): a browser's
// Sec-Fetch-Site says cross-site, or its Origin is not this server. Clients that send neither (curl, servers) pass.
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

export default fp(async (app) => {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.sameOrigin && isCrossSite(request)) {
      request.log.warn({ event: 'security.cross_site_refused' }, 'cross-site request refused')
      throw new Errors.CrossSite()
    }
  })
}, { name: 'same-origin' })
