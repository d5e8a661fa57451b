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

/** The session is another customer's: the host site's visitor changed (a shared computer). */
async function linkedToAnother (res: Response): Promise<boolean> {
  if (res.status !== 409) return false
  const body: unknown = await res.json().catch(() => null)
  return typeof body === 'object' && body !== null && 'error' in body &&
    typeof body.error === 'object' && body.error !== null && 'code' in body.error && body.error.code === 'already_linked'
}

/** Identifies the session; false when the page is being replaced by one with a fresh session. */
async function identify (token: string): Promise<boolean> {
  let ok = false
  try {
    const res = await fetch('/api/session/identify', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token })
    })
    ok = res.ok
    const url = new URL(window.location.href)
    if (await linkedToAnother(res) && url.searchParams.get('fresh') !== '1') {
      // Never show one person's conversation to another: start again with a new session, then identify that one.
      url.searchParams.set('fresh', '1')
      window.location.replace(url.toString())
      return false
    }
    if (!ok) console.warn(`Salient chat: the identity token was not accepted (HTTP ${res.status}); the chat stays anonymous`)
  } catch {
    console.warn('Salient chat: could not send the identity token; the chat stays anonymous')
  }
  toHost({ type: 'identified', ok })
  return true
}

let started = false
async function start (token: string | null): Promise<void> {
  if (started) return
  started = true
  if (token !== null && !await identify(token)) return
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
