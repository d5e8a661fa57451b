// A turn's message is checked before the session hook (preHandler) runs, so a refused message never makes a session
// for a visitor without one. Only a string is checked here; anything else fails the route's schema right after.
import type { FastifyInstance, FastifyRequest } from 'fastify'

export function checkMessageBeforeSession (app: FastifyInstance, messageOf: (request: FastifyRequest) => unknown) {
  return async (request: FastifyRequest): Promise<void> => {
    const message = messageOf(request)
    if (typeof message === 'string') app.chat.checkMessage(message)
  }
}
