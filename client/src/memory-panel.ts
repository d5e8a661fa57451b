// "What we know about you" (SPEC §11): every field the assistant remembers, the message it came from, and the
// visitor's controls (Edit, Forget, Erase everything). Opened from the header, for every visitor. Every value is
// set with textContent: nothing from the server is parsed as HTML.
import { ApiError, eraseEverything, forgetField, getProfile, patchProfile } from './api.ts'
import { announce, background, h } from './dom.ts'
import { formatMessageTime } from './format.ts'
import { describeProfileValue, PROFILE_FIELDS } from './profile-fields.ts'
import type { Profile, ProfileField } from './types.ts'

export interface MemoryPanel {
  refresh: () => Promise<void>
}

export interface MemoryPanelOptions {
  button: HTMLButtonElement
  dialog: HTMLDialogElement
  /** Scrolls the conversation to a message and highlights it; false when it cannot be found. */
  reveal: (messageId: string) => Promise<boolean>
}

type Fact = NonNullable<Profile['facts'][ProfileField]>

const LIST_FIELDS = new Set<ProfileField>(['products_of_interest', 'services_of_interest'])

function problemText (err: unknown): string {
  if (err instanceof ApiError) return err.code === 'network_error' ? 'Couldn’t reach the server. Please try again.' : err.message
  return 'Something went wrong. Please try again.'
}

export function createMemoryPanel ({ button, dialog, reveal }: MemoryPanelOptions): MemoryPanel {
  const list = h('ul', { class: 'memory-list', 'data-testid': 'memory-list' })
  const empty = h('p', { class: 'memory-empty', 'data-testid': 'memory-empty', hidden: true },
    'Nothing yet. What you tell the assistant about yourself (your name, how to reach you, what you are interested in) shows here.')
  const status = h('p', { class: 'memory-status', role: 'alert', 'data-testid': 'memory-status', hidden: true })
  const close = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'memory-close' }, 'Close')
  const erase = h('button', { type: 'button', class: 'btn btn-danger btn-small', 'data-testid': 'memory-erase' }, 'Erase everything')
  const confirmBox = h('div', { class: 'memory-confirm', 'data-testid': 'memory-confirm', hidden: true })
  dialog.replaceChildren(
    h('div', { class: 'memory-head' }, h('h2', { class: 'memory-title', id: 'memory-title' }, 'What we know about you'), close),
    h('p', { class: 'memory-intro' }, 'The assistant uses these facts to help you. Edit or forget any of them.'),
    status, empty, list,
    h('div', { class: 'memory-foot' }, erase, confirmBox)
  )
  dialog.setAttribute('aria-labelledby', 'memory-title')

  function showStatus (text: string): void {
    status.textContent = text
    status.hidden = text === ''
  }

  function sourceLink (messageId: string | null, at: string): HTMLElement {
    const time = formatMessageTime(at)
    if (messageId === null) return h('span', { class: 'memory-source' }, `set by you at ${time}`)
    const link = h('button', { type: 'button', class: 'btn-link memory-source--link', 'data-testid': 'memory-source' }, `from your message at ${time}`)
    link.addEventListener('click', () => {
      // Closed first: the dialog gives the focus back when it closes, and the message is to have it.
      dialog.close()
      background((async () => {
        if (await reveal(messageId)) return
        dialog.showModal()
        showStatus('That message is no longer in the conversation.')
      })())
    })
    return link
  }

  function editor (field: ProfileField, label: string, value: unknown, item: HTMLElement): HTMLElement {
    const inputId = `memory-input-${field}`
    const errorId = `memory-error-${field}`
    const input = h('input', { id: inputId, class: 'memory-input', type: 'text', 'data-testid': 'memory-input', 'aria-describedby': errorId, autocomplete: 'off' })
    input.value = describeProfileValue(value)
    const error = h('p', { id: errorId, class: 'memory-error', 'data-testid': 'memory-error', hidden: true })
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-small', 'data-testid': 'memory-save' }, 'Save')
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost btn-small' }, 'Cancel')
    const form = h('form', { class: 'memory-edit', novalidate: true },
      h('label', { class: 'sr-only', for: inputId }, `New value for ${label}`), input, h('div', { class: 'memory-actions' }, save, cancel), error)
    cancel.addEventListener('click', () => { background(refresh()) })
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const text = input.value.trim()
      const next = LIST_FIELDS.has(field) ? text.split(',').map((v) => v.trim()).filter((v) => v !== '') : text
      save.disabled = true
      background((async () => {
        try {
          await patchProfile({ [field]: next })
          announce(`${label} saved`)
          await refresh()
        } catch (err) {
          error.textContent = problemText(err)
          error.hidden = false
          input.setAttribute('aria-invalid', 'true')
          input.focus()
        } finally {
          save.disabled = false
        }
      })())
    })
    item.replaceChildren(h('span', { class: 'memory-label' }, label), form)
    input.focus()
    return form
  }

  function factItem (field: ProfileField, label: string, fact: Fact): HTMLElement {
    const item = h('li', { class: 'memory-item', 'data-testid': 'memory-fact', 'data-field': field })
    const edit = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'memory-edit', 'aria-label': `Edit ${label}` }, 'Edit')
    const forget = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'memory-forget', 'aria-label': `Forget ${label}` }, 'Forget')
    edit.hidden = field === 'preferences'
    edit.addEventListener('click', () => { editor(field, label, fact.value, item) })
    forget.addEventListener('click', () => {
      forget.disabled = true
      background((async () => {
        try {
          await forgetField(field)
          announce(`${label} forgotten`)
          await refresh()
          close.focus()
        } catch (err) {
          showStatus(problemText(err))
          forget.disabled = false
        }
      })())
    })
    item.append(
      h('span', { class: 'memory-label' }, label),
      h('span', { class: 'memory-value', 'data-testid': 'memory-value' }, describeProfileValue(fact.value)),
      sourceLink(fact.source_message_id, fact.updated_at),
      h('span', { class: 'memory-actions' }, edit, forget)
    )
    return item
  }

  async function refresh (): Promise<void> {
    try {
      const profile = await getProfile()
      const items = PROFILE_FIELDS.flatMap(([field, label]) => {
        const fact = profile.facts[field]
        return fact === undefined ? [] : [factItem(field, label, fact)]
      })
      list.replaceChildren(...items)
      empty.hidden = items.length > 0
      showStatus('')
    } catch (err) {
      showStatus(problemText(err))
    }
  }

  function askToErase (): void {
    const yes = h('button', { type: 'button', class: 'btn btn-danger btn-small', 'data-testid': 'memory-erase-confirm' }, 'Yes, erase everything')
    const no = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'memory-erase-cancel' }, 'Keep it')
    confirmBox.replaceChildren(h('p', { class: 'memory-confirm-text' },
      'This deletes this conversation and everything we know about you. It cannot be undone.'), yes, no)
    confirmBox.hidden = false
    erase.hidden = true
    no.addEventListener('click', () => {
      confirmBox.hidden = true
      erase.hidden = false
      erase.focus()
    })
    yes.addEventListener('click', () => {
      yes.disabled = true
      background((async () => {
        try {
          await eraseEverything()
          window.location.reload()
        } catch (err) {
          showStatus(problemText(err))
          yes.disabled = false
        }
      })())
    })
    no.focus()
  }

  erase.addEventListener('click', askToErase)
  close.addEventListener('click', () => { dialog.close() })
  dialog.addEventListener('close', () => {
    button.setAttribute('aria-expanded', 'false')
    confirmBox.hidden = true
    erase.hidden = false
    button.focus()
  })
  button.addEventListener('click', () => {
    background((async () => {
      await refresh()
      dialog.showModal()
      button.setAttribute('aria-expanded', 'true')
      close.focus()
    })())
  })

  return { refresh: async () => { if (dialog.open) await refresh() } }
}
