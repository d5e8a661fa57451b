// The conversation pane (role="log"): history, older pages on scroll-up, live bubbles and inline errors.
import { announce, background, copyText, h } from './dom.ts'
import { formatDateTime, formatMessageTime } from './format.ts'
import type { MarkdownRenderer } from './render-markdown.ts'
import type { ChatMessage, MessagesPage, MessageStatus } from './types.ts'

export type AssistantStatus = 'pending' | 'streaming' | MessageStatus

export interface AssistantView {
  readonly el: HTMLElement
  source: () => string
  status: () => AssistantStatus
  append: (delta: string) => void
  setSource: (text: string) => void
  setStatus: (status: AssistantStatus) => void
  setMessageId: (id: string | null) => void
}

export interface ErrorBanner {
  readonly el: HTMLElement
  remove: () => void
}

export interface MessageList {
  setHistory: (page: MessagesPage) => void
  showLoadError: (message: string, onRetry: () => void) => void
  appendHuman: (text: string) => HTMLElement
  /** A new, pending assistant bubble at the end, or right after `after` (a retried older turn). */
  appendAssistant: (after?: HTMLElement) => AssistantView
  showError: (after: HTMLElement, message: string, onRetry: () => void) => ErrorBanner
  setBusy: (busy: boolean) => void
  /** Scrolls to a message (loading earlier pages if needed), highlights and focuses it; false if it is not found. */
  reveal: (messageId: string) => Promise<boolean>
}

export interface MessageListOptions {
  appName: string
  renderMarkdown: MarkdownRenderer
  loadOlder: (beforeId: string) => Promise<MessagesPage>
}

const STATUS_LABELS: Partial<Record<AssistantStatus, string>> = { partial: 'stopped', error: 'interrupted' }
const PIN_THRESHOLD_PX = 80
const REVEAL_MAX_PAGES = 20
const HIGHLIGHT_MS = 2500
const LOAD_OLDER_THRESHOLD_PX = 48

export function createMessageList (root: HTMLElement, options: MessageListOptions): MessageList {
  const { appName, renderMarkdown } = options
  const initial = (appName.trim().charAt(0) || 'A').toUpperCase()

  const loadOlderButton = h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'load-older', hidden: true
  }, 'Show earlier messages')
  const top = h('div', { class: 'list-top' }, loadOlderButton)
  const items = h('div', { class: 'list-items' })
  root.replaceChildren(top, items)

  let hasMore = false
  let loadingOlder = false
  let olderFailed = false
  let oldestId: string | undefined
  let busy = false
  let greeting: HTMLElement | null = null

  const isNearBottom = (): boolean =>
    root.scrollHeight - root.scrollTop - root.clientHeight < PIN_THRESHOLD_PX
  const scrollToBottom = (): void => { root.scrollTop = root.scrollHeight }
  /** Runs a DOM change and keeps the view pinned to the bottom if it was there. */
  const keepPinned = (change: () => void): void => {
    const pinned = isNearBottom()
    change()
    if (pinned) scrollToBottom()
  }

  function metaTime (iso: string): HTMLElement {
    return h('time', { datetime: iso, title: formatDateTime(iso) }, formatMessageTime(iso))
  }

  function avatar (): HTMLElement {
    // The letter comes from CSS (attr()), so a message's textContent is only what was said.
    return h('span', { class: 'msg-avatar', 'aria-hidden': 'true', 'data-initial': initial })
  }

  function humanNode (text: string, createdAt: string, id?: string): HTMLElement {
    return h('div', {
      class: 'msg msg--human', 'data-testid': 'message', 'data-role': 'human', 'data-status': 'sent', 'data-message-id': id
    },
    h('div', { class: 'msg-main' },
      h('div', { class: 'msg-bubble' },
        h('span', { class: 'sr-only' }, 'You said: '),
        h('p', { class: 'msg-body msg-body--plain', 'data-testid': 'message-body' }, text)),
      h('div', { class: 'msg-meta' }, metaTime(createdAt))))
  }

  function systemNode (message: ChatMessage): HTMLElement {
    return h('div', {
      class: 'msg msg--system', 'data-testid': 'message', 'data-role': 'system', 'data-message-id': message.id
    }, h('p', { class: 'msg-system', 'data-testid': 'message-body' }, message.content))
  }

  function assistantView (initialSource: string, status: AssistantStatus, createdAt: string, id?: string): AssistantView {
    let source = initialSource
    let current: AssistantStatus = status
    let frame = 0

    const body = h('div', { class: 'msg-body markdown', 'data-testid': 'message-body' })
    const label = h('span', { class: 'msg-label', 'data-testid': 'message-label', hidden: true })
    const copyLabel = document.createTextNode('Copy')
    const copyButton = h('button', { type: 'button', class: 'btn-link msg-copy', 'data-testid': 'copy-button' },
      copyLabel, h('span', { class: 'sr-only' }, ' reply'))
    const el = h('div', {
      class: 'msg msg--assistant', 'data-testid': 'message', 'data-role': 'assistant', 'data-message-id': id
    },
    avatar(),
    h('div', { class: 'msg-main' },
      h('div', { class: 'msg-bubble' }, h('span', { class: 'sr-only' }, 'Assistant said: '), body),
      h('div', { class: 'msg-meta' }, metaTime(createdAt), label, copyButton)))

    copyButton.addEventListener('click', () => {
      background(copyText(source).then((ok) => {
        copyLabel.data = ok ? 'Copied' : 'Copy failed'
        announce(ok ? 'Reply copied to clipboard' : 'Could not copy the reply')
        window.setTimeout(() => { copyLabel.data = 'Copy' }, 2000)
      }))
    })

    const render = (): void => {
      frame = 0
      keepPinned(() => {
        if (source !== '') {
          body.replaceChildren(renderMarkdown(source))
        } else if (current === 'pending' || current === 'streaming') {
          body.replaceChildren(h('span', { class: 'typing', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')))
        } else {
          body.replaceChildren(h('p', { class: 'msg-empty' },
            current === 'partial' ? 'Stopped before a reply arrived.' : 'No reply was received.'))
        }
        const live = current === 'pending' || current === 'streaming'
        copyButton.hidden = live || source === ''
      })
    }
    const flush = (): void => {
      if (frame !== 0) cancelAnimationFrame(frame)
      render()
    }

    const view: AssistantView = {
      el,
      source: () => source,
      status: () => current,
      append (delta) {
        source += delta
        // Re-render at most once per frame while tokens pour in.
        if (frame === 0) frame = requestAnimationFrame(render)
      },
      setSource (text) {
        source = text
        flush()
      },
      setStatus (next) {
        current = next
        el.dataset.status = next
        const text = STATUS_LABELS[next]
        label.hidden = text === undefined
        label.textContent = text ?? ''
        flush()
      },
      setMessageId (messageId) {
        if (messageId) el.dataset.messageId = messageId
      }
    }
    view.setStatus(status)
    return view
  }

  function historyNode (message: ChatMessage): HTMLElement {
    if (message.role === 'human') return humanNode(message.content, message.created_at, message.id)
    if (message.role === 'system') return systemNode(message)
    const status = message.metadata?.status ?? 'complete'
    return assistantView(message.content, status, message.created_at, message.id).el
  }

  function updateTop (): void {
    loadOlderButton.hidden = !hasMore
    loadOlderButton.disabled = false
    loadOlderButton.textContent = olderFailed
      ? 'Couldn’t load earlier messages. Try again'
      : loadingOlder ? 'Loading earlier messages…' : 'Show earlier messages'
    loadOlderButton.setAttribute('aria-disabled', String(loadingOlder))
  }

  async function loadOlder (): Promise<void> {
    if (!hasMore || loadingOlder || oldestId === undefined) return
    loadingOlder = true
    olderFailed = false
    updateTop()
    try {
      const page = await options.loadOlder(oldestId)
      const nodes = page.messages.map(historyNode)
      hasMore = page.has_more && page.messages.length > 0
      oldestId = page.messages[0]?.id ?? oldestId
      // Prepend without moving what the visitor is looking at.
      const previousHeight = root.scrollHeight
      const previousTop = root.scrollTop
      items.prepend(...nodes)
      syncGreeting()
      root.scrollTop = previousTop + (root.scrollHeight - previousHeight)
    } catch {
      olderFailed = true
    } finally {
      loadingOlder = false
      updateTop()
    }
  }

  loadOlderButton.addEventListener('click', () => { background(loadOlder()) })
  root.addEventListener('scroll', () => {
    // After a failure only the button retries, so scrolling does not hammer the server.
    if (root.scrollTop < LOAD_OLDER_THRESHOLD_PX && !olderFailed) background(loadOlder())
  }, { passive: true })

  /** The greeting opens the conversation: it is shown whenever the conversation's beginning is on screen. */
  function syncGreeting (): void {
    if (hasMore) {
      greeting?.remove()
    } else if (greeting === null || items.firstElementChild !== greeting) {
      greeting ??= greetingNode()
      items.prepend(greeting)
    }
  }

  function greetingNode (): HTMLElement {
    const text = appName !== ''
      ? `Hi! I’m ${appName}’s assistant. Ask me about our products and services.`
      : 'Hi! I’m the assistant. Ask me about our products and services.'
    return h('div', { class: 'msg msg--assistant msg--greeting', 'data-testid': 'greeting' },
      avatar(),
      h('div', { class: 'msg-main' },
        h('div', { class: 'msg-bubble' }, h('p', { class: 'msg-body' }, text))))
  }

  function findMessage (messageId: string): HTMLElement | null {
    for (const node of items.querySelectorAll<HTMLElement>('[data-message-id]')) {
      if (node.dataset.messageId === messageId) return node
    }
    return null
  }

  let highlighted: { node: HTMLElement, timer: number } | null = null

  function highlight (node: HTMLElement): void {
    if (highlighted !== null) {
      window.clearTimeout(highlighted.timer)
      highlighted.node.classList.remove('msg--highlight')
    }
    node.classList.add('msg--highlight')
    node.tabIndex = -1
    node.scrollIntoView({ block: 'center', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' })
    node.focus({ preventScroll: true })
    highlighted = { node, timer: window.setTimeout(() => { node.classList.remove('msg--highlight') }, HIGHLIGHT_MS) }
  }

  return {
    async reveal (messageId) {
      let node = findMessage(messageId)
      for (let page = 0; node === null && hasMore && !olderFailed && page < REVEAL_MAX_PAGES; page++) {
        await loadOlder()
        node = findMessage(messageId)
      }
      if (node === null) return false
      highlight(node)
      return true
    },

    setHistory (page) {
      hasMore = page.has_more && page.messages.length > 0
      oldestId = page.messages[0]?.id
      olderFailed = false
      items.replaceChildren(...page.messages.map(historyNode))
      syncGreeting()
      updateTop()
      scrollToBottom()
    },

    showLoadError (message, onRetry) {
      const retry = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'load-retry' }, 'Try again')
      const banner = h('div', { class: 'notice notice--error', role: 'alert', 'data-testid': 'load-error' },
        h('p', { class: 'notice-text' }, message), retry)
      retry.addEventListener('click', () => { banner.remove(); onRetry() })
      items.replaceChildren(banner)
    },

    appendHuman (text) {
      const node = humanNode(text, new Date().toISOString())
      node.dataset.status = 'sending'
      items.append(node)
      scrollToBottom()
      return node
    },

    appendAssistant (after) {
      const view = assistantView('', 'pending', new Date().toISOString())
      keepPinned(() => {
        if (after !== undefined && after.nextElementSibling !== null) after.after(view.el)
        else items.append(view.el)
      })
      return view
    },

    showError (after, message, onRetry) {
      const retry = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'retry-button', disabled: busy },
        'Retry')
      const el = h('div', { class: 'notice notice--error msg-error', role: 'alert', 'data-testid': 'error-banner' },
        h('p', { class: 'notice-text' }, message), retry)
      retry.addEventListener('click', onRetry)
      keepPinned(() => after.after(el))
      return { el, remove: () => { el.remove() } }
    },

    setBusy (next) {
      busy = next
      root.setAttribute('aria-busy', String(next))
      for (const button of items.querySelectorAll<HTMLButtonElement>('[data-testid="retry-button"]')) {
        button.disabled = next
      }
    }
  }
}
