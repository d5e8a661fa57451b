/// <reference lib="dom" />
// "What we know about you" in real headless Chromium (SPEC §11): a fact with its source link, Forget (the next LLM
// call, seen at the fake server, no longer carries it), Edit with the field's error, keyboard use, a 360 px screen
// and Erase everything.
import t from 'tap'
import type { Browser, Page } from 'playwright-core'
import { buildChatApp } from '../helpers/chat-app.ts'
import { launchBrowser, MOBILE, newVisitor, screenshot, until } from '../helpers/browser.ts'

type Test = Parameters<Parameters<typeof t.test>[0]>[0]

const browser: Browser = await launchBrowser(t)
const built = await buildChatApp(t, { config: { app: { name: 'Sunrise Solar' }, ui: { dev_diagnostics: false }, profile: { products: ['solar panels'] } } })
const url = await built.app.listen({ port: 0, host: '127.0.0.1' })
const { fake, db } = built

async function send (page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('send-button').click()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  await page.locator('[data-testid="send-button"]:not([disabled])').waitFor({ state: 'attached' })
}

async function sessionIdOf (page: Page): Promise<string> {
  return (await (await page.request.get('/api/session')).json() as { session_id: string }).session_id
}

async function repliesFor (sessionId: string, count: number): Promise<void> {
  await until(`${count} replies`, async () => {
    const rows = await db.selectFrom('messages').select('id').where('session_id', '=', sessionId).where('role', '=', 'assistant').execute()
    return rows.length >= count
  })
}

const lastMemory = (): string => {
  const body = fake.completions().at(-1)?.body as { messages: Array<{ role: string, content: string }> }
  return body.messages.find((m) => m.role === 'system' && m.content.startsWith('Known about this customer:'))?.content ?? ''
}

function noProblems (t: Test, problems: string[]): void {
  t.same(problems, [], 'no console errors, page errors or CSP violations')
}

t.test('the panel shows a fact with its source link; Forget removes it from the next LLM call', async (t) => {
  const v = await newVisitor(t, browser, url)
  await v.open()
  const { page } = v
  const id = await sessionIdOf(page)
  await send(page, 'Hi, my name is Dana <b>Reyes</b> and I want solar panels')
  await repliesFor(id, 1)
  await send(page, 'Some more questions')
  await send(page, 'And another one')
  await repliesFor(id, 3)
  t.match(lastMemory(), /customer_name: Dana/)
  t.equal((await page.request.patch('/api/session/profile', { data: { address_street: '<b>12 Main St</b>' } })).status(), 200)

  await page.getByTestId('memory-button').click()
  const dialog = page.getByTestId('memory-dialog')
  await dialog.waitFor({ state: 'visible' })
  t.equal(await page.getByTestId('memory-button').getAttribute('aria-expanded'), 'true')
  const name = dialog.locator('[data-testid="memory-fact"][data-field="customer_name"]')
  t.equal(await name.getByTestId('memory-value').textContent(), 'Dana')
  const street = dialog.locator('[data-testid="memory-fact"][data-field="address_street"]')
  t.equal(await street.getByTestId('memory-value').textContent(), '<b>12 Main St</b>', 'markup in a value is shown as text')
  t.equal(await dialog.locator('b').count(), 0, 'and never parsed')
  const source = name.getByTestId('memory-source')
  t.match(await source.textContent(), /^from your message at \d{1,2}:\d{2}/)
  await screenshot(page, 'memory-panel')

  await source.click()
  await dialog.waitFor({ state: 'hidden' })
  const first = page.locator('[data-testid="message"][data-role="human"]').first()
  await page.waitForFunction(() => document.querySelector('.msg--highlight') !== null)
  t.ok(await first.evaluate((n) => n.classList.contains('msg--highlight')), 'the source message is highlighted')
  t.ok(await first.evaluate((n) => n === document.activeElement), 'and focused')

  await page.getByTestId('memory-button').click()
  await name.getByTestId('memory-forget').click()
  await name.waitFor({ state: 'detached' })
  t.equal(await dialog.locator('[data-field="products_of_interest"]').count(), 1, 'the other facts stay')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  t.ok(await page.getByTestId('memory-button').evaluate((n) => n === document.activeElement), 'focus returns to the button')

  await send(page, 'What happens next?')
  await repliesFor(id, 4)
  t.notMatch(lastMemory(), /Dana/, 'the next LLM call no longer carries the forgotten name')
  t.match(lastMemory(), /products_of_interest: solar panels/)
  noProblems(t, v.problems)
})

t.test('Edit a phone to a bad value shows the field\'s error; a good one is saved; keyboard only, 360 px wide', async (t) => {
  // The refused edit is a 400 the browser reports on its console.
  const v = await newVisitor(t, browser, url, { viewport: MOBILE, isMobile: true, allowConsole: [/status of 400/] })
  await v.open()
  const { page } = v
  const id = await sessionIdOf(page)
  await send(page, 'call me on 503-555-0199')
  await repliesFor(id, 1)

  await page.getByTestId('memory-button').focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('memory-dialog')
  await dialog.waitFor({ state: 'visible' })
  const phone = dialog.locator('[data-testid="memory-fact"][data-field="phone"]')
  t.equal(await phone.getByTestId('memory-value').textContent(), '+15035550199')
  await phone.getByTestId('memory-edit').focus()
  await page.keyboard.press('Enter')
  const input = phone.getByTestId('memory-input')
  t.ok(await input.evaluate((n) => n === document.activeElement), 'the editor takes the focus')
  await input.fill('12')
  await page.keyboard.press('Enter')
  const error = phone.getByTestId('memory-error')
  await error.waitFor({ state: 'visible' })
  t.match(await error.textContent(), /phone is not a valid phone number/)
  t.equal(await input.getAttribute('aria-invalid'), 'true')
  t.equal(await input.getAttribute('aria-describedby'), await error.getAttribute('id'), 'the error is tied to the field')

  const layout = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, dialog: document.querySelector('dialog')?.getBoundingClientRect().width ?? 0 }))
  t.ok(layout.width <= MOBILE.width, `no horizontal scroll at 360 px (${layout.width})`)
  t.ok(layout.dialog <= MOBILE.width, 'the panel fits the screen')
  await screenshot(page, 'memory-panel-mobile-error')

  await input.fill('(503) 555-0142')
  await page.keyboard.press('Enter')
  await phone.getByTestId('memory-value').waitFor()
  t.equal(await phone.getByTestId('memory-value').textContent(), '+15035550142')
  t.match(await phone.locator('.memory-source').textContent(), /^set by you at/)
  noProblems(t, v.problems)
})

t.test('Erase everything asks first, then deletes the session and starts afresh', async (t) => {
  // An anonymous visitor: DELETE /api/customer answers 404, and the session is erased instead.
  const v = await newVisitor(t, browser, url, { allowConsole: [/status of 404/] })
  await v.open()
  const { page } = v
  const id = await sessionIdOf(page)
  await send(page, 'my name is Pat Quill')
  await repliesFor(id, 1)
  await page.getByTestId('memory-button').click()
  await page.getByTestId('memory-erase').click()
  await page.getByTestId('memory-erase-cancel').click()
  t.ok(await page.getByTestId('memory-erase').isVisible(), 'Keep it changes nothing')
  await page.getByTestId('memory-erase').click()
  await Promise.all([page.waitForEvent('load'), page.getByTestId('memory-erase-confirm').click()])
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  t.equal(await page.getByTestId('message').count(), 0, 'a fresh conversation')
  const gone = await db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()
  t.equal(gone, undefined, 'the old session is erased')
  noProblems(t, v.problems)
})
