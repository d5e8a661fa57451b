// The chat client in its compact embed mode (GET /embed, framed by the launcher on an allowed site). It is the same
// client (../main.ts), started once the host page has said whether it knows who the visitor is: with a token, the
// session is identified first, so the first history load is already the customer's. Escape asks the host to close.
import '../styles.css'
import './embed.css'
import { background } from '../dom.ts'
import { start as startChat } from '../main.ts'
import { envelope, parseHostMessage, type FrameMessage } from './protocol.ts'

// The server refused this page unless ?host= is an allowed site (plugins/infrastructure/same-origin.ts), and the
// browser refused the framing unless the framing page is one (CSP frame-ancestors).
const host = new URLSearchParams(window.location.search).get('host')
const framed = window.parent !== window && host !== null
/** Without the host's word (a broken launcher), the chat starts anonymous after this long. */
const INIT_FALLBACK_MS = 5000

function toHost (message: FrameMessage): void {
  if (framed && host !== null) window.parent.postMessage(envelope(message), host)
}

async function identify (token: string): Promise<void> {
  let ok = false
  try {
    const res = await fetch('/api/session/identify', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token })
    })
    ok = res.ok
    if (!ok) console.warn(`Salient chat: the identity token was not accepted (HTTP ${res.status}); the chat stays anonymous`)
  } catch {
    console.warn('Salient chat: could not send the identity token; the chat stays anonymous')
  }
  toHost({ type: 'identified', ok })
}

let started = false
async function start (token: string | null): Promise<void> {
  if (started) return
  started = true
  if (token !== null) await identify(token)
  await startChat()
}

function focusMessageBox (): void {
  const input = document.getElementById('composer-input')
  if (input instanceof HTMLTextAreaElement && !input.disabled) input.focus()
}

window.addEventListener('message', (event) => {
  if (!framed || event.source !== window.parent || event.origin !== host) return
  const message = parseHostMessage(event.data)
  if (message === null) return
  if (message.type === 'init') background(start(message.token))
  else focusMessageBox()
})

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !event.defaultPrevented) toHost({ type: 'close' })
})

if (framed) {
  toHost({ type: 'ready' })
  setTimeout(() => { background(start(null)) }, INIT_FALLBACK_MS)
} else {
  background(start(null))
}
