// Owns who is an operator: app.isAdmin(request) is true for `Authorization: Bearer $ADMIN_TOKEN`. With no token
// configured nobody is, and the admin API answers 404.
import { timingSafeEqual, createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    isAdmin: (request: FastifyRequest) => boolean
  }
}

// Both sides hashed first: timingSafeEqual needs equal lengths, and the hash hides the token's length.
const digest = (value: string) => createHash('sha256').update(value).digest()

export default fp(async (app) => {
  const token = app.config.admin.token
  const expected = token ? digest(token) : null
  app.decorate('isAdmin', (request: FastifyRequest) => {
    const header = request.headers.authorization
    if (!expected || !header?.startsWith('Bearer ')) return false
    return timingSafeEqual(digest(header.slice(7).trim()), expected)
  })
}, { name: 'admin', dependencies: ['config'] })
