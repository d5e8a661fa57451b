// The operator console: its page and its admin API (SPEC §12).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import loginRoutes from './login.ts'
import leadRoutes from './leads.ts'
import conversationRoutes from './conversations.ts'
import costRoutes from './costs.ts'
import collisionRoutes from './collisions.ts'
import consolePageRoutes from './console-page.ts'

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(loginRoutes)
  await app.register(leadRoutes)
  await app.register(conversationRoutes)
  await app.register(costRoutes)
  await app.register(collisionRoutes)
  await app.register(consolePageRoutes)
}

export default adminRoutes
