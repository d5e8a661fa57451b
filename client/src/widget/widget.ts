// /widget.js: the launcher a host page adds with one script tag (SPEC §13). On a page of an allowed site it adds a
// button that opens the chat in a panel: a cross-origin iframe of the chat server's /embed, so the host page's styles
// and scripts cannot reach the conversation. What the launcher draws lives in a shadow root (open: it guards styles,
// not secrets; the conversation is in the frame). On any other site it does nothing but warn once.
// `window.SalientChat` offers open(), close() and identify(token).
import { envelope, isTokenShaped, parseFrameMessage, type HostMessage } from '../embed/protocol.ts'
import { readOptions, warn, type WidgetOptions } from './options.ts'
import { widgetSettings } from './settings.ts'
import { WIDGET_CSS } from './styles.ts'

interface SalientChatApi {
  open: () => void
  close: () => void
  identify: (token: string) => void
}

declare global {
  interface Window { SalientChat?: SalientChatApi }
}

const SVG = 'http://www.w3.org/2000/svg'
const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z'

function el<K extends keyof HTMLElementTagNameMap> (tag: K, attrs: Record<string, string>, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

function chatIcon (): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  const path = document.createElementNS(SVG, 'path')
  path.setAttribute('d', CHAT_ICON)
  svg.append(path)
  return svg
}

function adoptStyles (root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(WIDGET_CSS)
    root.adoptedStyleSheets = [sheet]
  } else {
    // Browsers from before constructable stylesheets (2023): a <style> the host's CSP must allow.
    root.append(el('style', {}, WIDGET_CSS))
  }
}

function mount (serverOrigin: string, appName: string, options: WidgetOptions): SalientChatApi {
  const container = el('div', { 'data-salient-chat': '' })
  const root = container.attachShadow({ mode: 'open' })
  adoptStyles(root)
  const wrapper = el('div', { class: options.position === 'bottom-left' ? 'left' : 'right' })
  const launcher = el('button', { type: 'button', class: 'launcher', 'aria-label': 'Open chat', 'aria-expanded': 'false', 'aria-controls': 'salient-chat-panel' }, chatIcon())
  const title = appName !== '' ? appName : 'Chat'
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, '×')
  const panel = el('div', { id: 'salient-chat-panel', class: 'panel', role: 'dialog', 'aria-label': title },
    el('div', { class: 'bar' }, el('span', { class: 'title' }, title), close))
  panel.hidden = true
  wrapper.append(launcher, panel)
  root.append(wrapper)
  document.body.append(container)

  let frame: HTMLIFrameElement | null = null
  /** The frame's page has said it listens (before that, a message would reach the blank page it replaces). */
  let frameReady = false
  let token = options.identityToken
  let focusWhenReady = false
  const embedUrl = `${serverOrigin}/embed?host=${encodeURIComponent(window.location.origin)}`

  const toFrame = (message: HostMessage) => { frame?.contentWindow?.postMessage(envelope(message), serverOrigin) }

  function loadFrame (): void {
    frameReady = false
    if (frame === null) {
      frame = el('iframe', { title: `${title} chat`, src: embedUrl, referrerpolicy: 'origin' })
      panel.append(frame)
    } else {
      frame.src = embedUrl // a new identity: the chat starts again with it
    }
  }

  function open (moveFocus = true): void {
    if (frame === null) loadFrame()
    panel.hidden = false
    launcher.setAttribute('aria-expanded', 'true')
    if (!moveFocus) return
    frame?.focus()
    if (frameReady) toFrame({ type: 'focus' })
    else focusWhenReady = true
  }

  function hide (): void {
    if (panel.hidden) return
    panel.hidden = true
    launcher.setAttribute('aria-expanded', 'false')
    launcher.focus()
  }

  launcher.addEventListener('click', () => { if (panel.hidden) open(); else hide() })
  close.addEventListener('click', hide)
  root.addEventListener('keydown', (event) => {
    if (event instanceof KeyboardEvent && event.key === 'Escape') hide()
  })
  window.addEventListener('message', (event) => {
    if (frame === null || event.source !== frame.contentWindow || event.origin !== serverOrigin) return
    const message = parseFrameMessage(event.data)
    if (message === null) return
    if (message.type === 'ready') {
      frameReady = true
      toFrame({ type: 'init', token })
      if (focusWhenReady && !panel.hidden) toFrame({ type: 'focus' })
      focusWhenReady = false
    } else if (message.type === 'close') {
      hide()
    }
  })

  if (options.open) open(false)
  return {
    open: () => { open() },
    close: hide,
    identify (next: string) {
      if (!isTokenShaped(next)) {
        warn('identify() needs a JWT; ignored')
        return
      }
      token = next
      if (frame !== null) loadFrame()
    }
  }
}

function boot (): void {
  const script = document.currentScript
  if (!(script instanceof HTMLScriptElement) || script.src === '') {
    warn('load /widget.js with a plain <script src> tag')
    return
  }
  if (window.SalientChat !== undefined) return // the tag twice on one page
  const serverOrigin = new URL(script.src).origin
  const settings = widgetSettings()
  if (settings === null) {
    warn(`${script.src} was not served by the chat server`)
    return
  }
  if (!settings.allowedOrigins.includes(window.location.origin)) {
    warn(`${window.location.origin} is not in embed.allowed_origins on ${serverOrigin}; the chat is not shown`)
    return
  }
  const options = readOptions(script)
  const start = () => { window.SalientChat = mount(serverOrigin, settings.appName, options) }
  if (document.body !== null) start()
  else document.addEventListener('DOMContentLoaded', start, { once: true })
}

boot()
