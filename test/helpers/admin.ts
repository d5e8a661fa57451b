// The operator console's tests (its API, its pages): the admin token, and the app with a catalogue and two leads to
// look at, Dana (all her details, two priced turns) and Sam (a name and an interest, no way to reach him).
import { buildChatApp, visitor } from './chat-app.ts'
import { DANA_MESSAGE } from '../fixtures/dana.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef'
/** The console API's headers when signed in by token rather than by the console's cookie. */
export const ADMIN_AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` }

export async function buildConsoleApp (t: Teardown) {
  const built = await buildChatApp(t, {
    config: { admin: { token: ADMIN_TOKEN }, profile: { products: ['solar panels', 'heat pump'], services: ['installation'] } }
  })
  const { app, fake } = built
  const dana = visitor(app)
  fake.enqueue({ reply: 'Thanks Dana, noted.', cost: 0.000123456 })
  await dana.post(DANA_MESSAGE)
  fake.enqueue({ reply: 'A quote is on its way.', cost: 0.0002 })
  await dana.post('When can you install?')
  const sam = visitor(app)
  fake.enqueue({ reply: 'Hello Sam.', cost: 0.00001 })
  await sam.post('My name is Sam Okafor and I want a heat pump')
  return {
    ...built,
    danaId: (await dana.session()).session_id as string,
    samId: (await sam.session()).session_id as string
  }
}
