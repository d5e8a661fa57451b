// The footer composer: textarea, Send, Stop and the "Receiving…" indicator, with the configured shortcuts.
import { byId } from './dom.ts'
import type { UiConfig } from './types.ts'

export interface Composer {
  /** Ready means the history has loaded and sending makes sense. */
  setReady: (ready: boolean) => void
  setBusy: (busy: boolean) => void
  focus: () => void
}

export interface ComposerOptions {
  ui: UiConfig
  /** Returns false when the message was not accepted (the text then stays in the box). */
  onSubmit: (text: string) => boolean
  onStop: () => void
}

const isApple = /Mac|iPhone|iPad|iPod/.test(navigator.userAgent)

export function createComposer (options: ComposerOptions): Composer {
  const form = byId<HTMLFormElement>('composer')
  const input = byId<HTMLTextAreaElement>('composer-input')
  const send = byId<HTMLButtonElement>('send-button')
  const stop = byId<HTMLButtonElement>('stop-button')
  const statusRow = byId('composer-status')
  const indicator = byId('receiving-indicator')
  const hint = byId('composer-hint')

  const plainEnterSends = options.ui.submit_shortcut === 'enter' && !options.ui.enter_inserts_newline
  const mod = isApple ? '⌘' : 'Ctrl'
  hint.textContent = plainEnterSends
    ? 'Enter to send · Shift+Enter for a new line'
    : `${mod}+Enter to send · Enter for a new line`
  input.setAttribute('enterkeyhint', plainEnterSends ? 'send' : 'enter')

  let ready = false
  let busy = false

  const sync = (): void => {
    input.disabled = !ready
    send.disabled = !ready || busy
    stop.hidden = !busy
    indicator.hidden = !busy
    statusRow.hidden = !busy
  }

  const submit = (): void => {
    if (!ready || busy) return
    const text = input.value.trim()
    if (text === '') {
      input.value = ''
      input.focus()
      return
    }
    if (options.onSubmit(text)) input.value = ''
    input.focus()
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit()
  })

  input.addEventListener('keydown', (event) => {
    // Never send while an IME is composing (Enter confirms the composition there).
    if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return
    const withMod = event.ctrlKey || event.metaKey
    if (!withMod && (event.shiftKey || event.altKey || !plainEnterSends)) return
    event.preventDefault()
    submit()
  })

  stop.addEventListener('click', () => {
    options.onStop()
    input.focus()
  })

  return {
    setReady (next) {
      ready = next
      sync()
    },
    setBusy (next) {
      const stopHadFocus = document.activeElement === stop
      busy = next
      sync()
      if (!next && (stopHadFocus || document.activeElement === document.body)) input.focus()
    },
    focus () {
      input.focus()
    }
  }
}
