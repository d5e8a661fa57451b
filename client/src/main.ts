// Entry point: config → session → history, then wires the composer, the chat turns and diagnostics.
import './styles.css'
import { getClientConfig, getMessages, getSession } from './api.ts'
import { createChat } from './chat.ts'
import { createComposer } from './composer.ts'
import { createContinueOffer } from './continue-offer.ts'
import { createDiagnostics } from './diagnostics.ts'
import { background, byId, h } from './dom.ts'
import { createMemoryPanel } from './memory-panel.ts'
import { createMessageList } from './message-list.ts'
import { createMarkdownRenderer } from './render-markdown.ts'

function showUnavailable (listRoot: HTMLElement): void {
  const reload = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'load-retry' }, 'Reload')
  reload.addEventListener('click', () => { window.location.reload() })
  listRoot.replaceChildren(h('div', { class: 'notice notice--error', role: 'alert', 'data-testid': 'load-error' },
    h('p', { class: 'notice-text' }, 'The chat is unavailable right now. Please try again in a moment.'), reload))
}

const embedMode = document.documentElement.classList.contains('embed')

export async function start (): Promise<void> {
  const listRoot = byId('message-list')
  let config
  try {
    config = await getClientConfig()
  } catch {
    showUnavailable(listRoot)
    return
  }

  const appName = config.app_name
  document.title = appName !== '' ? `${appName} · Chat` : 'Chat'
  byId('app-name').textContent = appName !== '' ? appName : 'Chat'
  byId('brand-mark').textContent = (appName.charAt(0) || 'C').toUpperCase()

  const list = createMessageList(listRoot, {
    appName,
    renderMarkdown: createMarkdownRenderer(config.ui.allow_basic_html),
    loadOlder: async (before) => await getMessages(before)
  })
  // No diagnostics in the compact embed mode: the panel has no room for them.
  const diagnostics = config.ui.dev_diagnostics && !embedMode ? createDiagnostics(byId('diagnostics-root')) : null
  // Bubbles sent in this page view do not know their stored ids: when the source is not found, the history is
  // loaded afresh (it carries every id) and searched again.
  const reveal = async (messageId: string): Promise<boolean> => {
    if (await list.reveal(messageId)) return true
    list.setHistory(await getMessages())
    return await list.reveal(messageId)
  }
  const memory = createMemoryPanel({ button: byId('memory-button'), dialog: byId('memory-dialog'), reveal })
  // The callbacks only run on user input, after `chat` exists.
  const composer = createComposer({
    ui: config.ui,
    onSubmit: (text) => chat.send(text),
    onStop: () => { chat.stop() }
  })
  // SPEC §10: once the visitor proves an email known elsewhere, the whole conversation of that customer is theirs.
  const offer = createContinueOffer({
    anchor: byId('composer'),
    onVerified: async () => {
      list.setHistory(await getMessages())
      if (diagnostics !== null) await diagnostics.refresh()
      await memory.refresh()
    }
  })
  const chat = createChat({ ui: config.ui, list, composer, diagnostics, memory, onTurnEnd: () => { background(offer.check()) } })

  const loadConversation = async (): Promise<void> => {
    try {
      // The session first: it is the call that creates the session and its cookie.
      await getSession()
      list.setHistory(await getMessages())
      composer.setReady(true)
      background(offer.check())
      // Do not pop up the on-screen keyboard on phones.
      if (window.matchMedia('(pointer: fine)').matches) composer.focus()
    } catch {
      list.showLoadError('We couldn’t load your conversation.', () => { background(loadConversation()) })
    }
    if (diagnostics !== null) background(diagnostics.refresh())
  }
  await loadConversation()
}

// In its embed mode (client/src/embed) the client starts once the host page has said who the visitor is.
if (!embedMode) background(start())
