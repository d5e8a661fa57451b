// A tiny element builder. Children that are strings become text nodes, so data is never parsed as HTML.

type AttrValue = string | number | boolean | null | undefined

export function h<K extends keyof HTMLElementTagNameMap> (
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue
    if (name === 'class') node.className = String(value)
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  node.append(...children)
  return node
}

export function byId<T extends HTMLElement> (id: string): T {
  const node = document.getElementById(id)
  if (node === null) throw new Error(`#${id} is missing from index.html`)
  return node as T
}

/** A v4 UUID; crypto.randomUUID only exists in secure contexts (https or localhost). */
export function newClientMessageId (): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Runs a promise in the background; failures go to the console instead of vanishing. */
export function background (promise: Promise<unknown>): void {
  promise.catch((err: unknown) => { console.error(err) })
}

let announcer: HTMLElement | null = null

/** Speaks a short status through a polite live region (e.g. "Copied to clipboard"). */
export function announce (text: string): void {
  announcer ??= document.getElementById('announcer')
  if (announcer === null) return
  announcer.textContent = ''
  const target = announcer
  window.setTimeout(() => { target.textContent = text }, 50)
}

export async function copyText (text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // The Clipboard API is missing outside secure contexts: fall back to a hidden textarea.
    const previousFocus = document.activeElement
    const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true', tabindex: '-1' })
    area.value = text
    document.body.append(area)
    area.select()
    let ok = false
    try { ok = document.execCommand('copy') } catch { ok = false }
    area.remove()
    if (previousFocus instanceof HTMLElement) previousFocus.focus()
    return ok
  }
}
