// The host ↔ frame messages (client/src/embed/protocol.ts): only the known shapes pass; anything else is ignored.
import t from 'tap'
import { envelope, isTokenShaped, parseFrameMessage, parseHostMessage } from '../../client/src/embed/protocol.ts'

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'

t.test('the known messages round-trip through their envelope', async (t) => {
  t.same(parseFrameMessage(envelope({ type: 'ready' })), { type: 'ready' })
  t.same(parseFrameMessage(envelope({ type: 'close' })), { type: 'close' })
  t.same(parseFrameMessage(envelope({ type: 'identified', ok: false })), { type: 'identified', ok: false })
  t.same(parseHostMessage(envelope({ type: 'init', token: JWT })), { type: 'init', token: JWT })
  t.same(parseHostMessage(envelope({ type: 'init', token: null })), { type: 'init', token: null })
  t.same(parseHostMessage(envelope({ type: 'focus' })), { type: 'focus' })
})

t.test('anything else is ignored', async (t) => {
  const junk: unknown[] = [
    null, undefined, 'close', 42, [], ['close'],
    { type: 'close' }, // no protocol: another script's message
    { protocol: 'salient-chat/2', type: 'close' },
    { protocol: 'salient-chat/1', type: 'open' },
    { protocol: 'salient-chat/1', type: 'identified', ok: 'yes' },
    { protocol: 'salient-chat/1', type: 'init' }, // token missing
    { protocol: 'salient-chat/1', type: 'init', token: 'not a jwt' },
    { protocol: 'salient-chat/1', type: 'init', token: `${JWT}.extra` },
    { protocol: 'salient-chat/1', type: 'init', token: `${'a'.repeat(3000)}.${'b'.repeat(1100)}.c` }
  ]
  for (const data of junk) {
    t.equal(parseHostMessage(data), null, `host → frame: ${JSON.stringify(data)?.slice(0, 60)}`)
  }
  t.equal(parseFrameMessage({ protocol: 'salient-chat/1', type: 'init', token: JWT }), null, 'a host message is not a frame message')
  t.equal(parseHostMessage(envelope({ type: 'close' })), null, 'nor the other way round')
  // Extra fields do not travel on: only the parsed fields are used.
  t.same(parseFrameMessage({ protocol: 'salient-chat/1', type: 'close', conversation: 'secret' }), { type: 'close' })
})

t.test('a token must look like a compact JWS of a sane length', async (t) => {
  t.ok(isTokenShaped(JWT))
  for (const bad of ['', 'a.b', 'a.b.c.d', 'a.b.c d', 'a.b.<script>', 42, null]) t.notOk(isTokenShaped(bad), String(bad))
})
