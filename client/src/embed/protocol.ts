// The messages between the launcher on the host page (client/src/widget) and the framed chat (client/src/embed).
// Each side accepts a message only from the window and origin it expects, and only in one of these shapes; anything
// else (other scripts' messages, a look-alike from another frame) is ignored. The identity token is the only data
// that crosses, host to frame; nothing of the conversation ever goes to the host.

const PROTOCOL = 'salient-chat/1'

/** Frame → host: loaded and listening; asks to be closed (Escape inside the frame); how identify went. */
export type FrameMessage = { type: 'ready' } | { type: 'close' } | { type: 'identified', ok: boolean }
/** Host → frame: start (with the visitor's identity token, if the site has one); put focus in the message box. */
export type HostMessage = { type: 'init', token: string | null } | { type: 'focus' }

/** A compact JWS (header.payload.signature, base64url), of a sane length: what the server's identify takes. */
const TOKEN_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/
const MAX_TOKEN_LENGTH = 4096

export function isTokenShaped (value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && TOKEN_SHAPE.test(value)
}

export function envelope (message: FrameMessage | HostMessage): Record<string, unknown> {
  return { protocol: PROTOCOL, ...message }
}

function fields (data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const record = data as Record<string, unknown>
  return record.protocol === PROTOCOL ? record : null
}

export function parseFrameMessage (data: unknown): FrameMessage | null {
  const m = fields(data)
  if (m === null) return null
  if (m.type === 'ready' || m.type === 'close') return { type: m.type }
  if (m.type === 'identified' && typeof m.ok === 'boolean') return { type: 'identified', ok: m.ok }
  return null
}

export function parseHostMessage (data: unknown): HostMessage | null {
  const m = fields(data)
  if (m === null) return null
  if (m.type === 'focus') return { type: 'focus' }
  if (m.type === 'init' && (m.token === null || isTokenShaped(m.token))) return { type: 'init', token: m.token }
  return null
}
