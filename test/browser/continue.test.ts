/// <reference lib="dom" />
// SPEC §10 in real Chromium: a visitor chats in one browser context, gives their email and verifies it; a second
// context (no cookies) gives the same email, is offered "Continue your earlier conversation?", enters the emailed
// code (read from a real SMTP server on loopback: the outbox keeps codes masked) and sees the first conversation
// and profile.
import t from 'tap'
import type { Page } from 'playwright-core'
import { buildChatApp } from '../helpers/chat-app.ts'
import { launchBrowser, newVisitor, screenshot, until } from '../helpers/browser.ts'
import { startSmtpCapture } from '../helpers/smtp-capture.ts'

const EMAIL = 'dana.reyes@example.com'

async function send (page: Page, text: string): Promise<void> {
  const replies = await page.locator('[data-testid="message"][data-role="assistant"]').count()
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('send-button').click()
  await until('the reply', async () => await page.locator('[data-testid="message"][data-role="assistant"]').count() > replies &&
    await page.locator('[data-testid="message"][data-role="assistant"]').last().getAttribute('data-status') === 'complete')
}

const shownTexts = async (page: Page) => await page.getByTestId('message').evaluateAll((nodes) =>
  nodes.map((n) => ((n.querySelector('[data-testid="message-body"]') as HTMLElement | null)?.innerText ?? '').trim()))

const browser = await launchBrowser(t)
const smtp = await startSmtpCapture(t)
const built = await buildChatApp(t, { config: { ui: { dev_diagnostics: true }, mail: { transport: 'smtp', smtp_url: smtp.url } } })
const url = await built.app.listen({ port: 0, host: '127.0.0.1' })

t.test('a second browser continues the first one\'s conversation after proving the email', async (t) => {
  const first = await newVisitor(t, browser, url)
  await first.open()
  await send(first.page, `Hi, I'm Dana Reyes and I'm interested in solar panels. My email is ${EMAIL}`)
  t.equal(await first.page.getByTestId('continue-offer').count(), 0, 'only this session knows the address: no offer')
  // The first browser proves its address through the API (same cookies, same origin).
  const sent = await first.page.evaluate(async () => (await fetch('/api/session/verify-email', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status)
  t.equal(sent, 202)
  const firstCode = await smtp.codeFor(EMAIL)
  const confirmed = await first.page.evaluate(async (code) => (await fetch('/api/session/verify-email/confirm', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code })
  })).status, firstCode)
  t.equal(confirmed, 200)

  // The wrong code tried on purpose below is a 400, which Chromium reports on the console.
  const second = await newVisitor(t, browser, url, { allowConsole: [/status of 400 \(Bad Request\)/] })
  await second.open()
  t.same(await shownTexts(second.page), [], 'a new browser starts empty')
  await send(second.page, `hello again, my email is ${EMAIL}`)
  t.match(await (await second.page.request.get('/api/session')).json(), { verification: { email_hint: 'd***@example.com' } })
  const offer = second.page.getByTestId('continue-offer')
  await offer.waitFor()
  t.match(await offer.innerText(), /Continue your earlier conversation\?/)
  t.match(await offer.innerText(), /d\*\*\*@example\.com/, 'the address is shown masked')
  await second.page.getByTestId('offer-send').click()
  const code = await smtp.codeFor(EMAIL, 2)
  await second.page.getByTestId('offer-code').fill(code === '000000' ? '000001' : '000000')
  await second.page.getByTestId('offer-confirm').click()
  await until('the wrong-code message', async () => /not right/.test(await second.page.getByTestId('offer-error').innerText()))
  await second.page.getByTestId('offer-code').fill(code)
  await second.page.getByTestId('offer-confirm').click()
  await until('the earlier conversation', async () => (await shownTexts(second.page)).some((text) => text.includes('Dana Reyes')))
  const texts = await shownTexts(second.page)
  t.ok(texts[0]!.startsWith('Hi, I\'m Dana Reyes'), 'the first browser\'s message comes first')
  t.ok(texts.includes(`hello again, my email is ${EMAIL}`), 'then this one')
  t.equal(await offer.count(), 0, 'the offer is gone')

  await second.page.getByTestId('diagnostics').evaluate((node) => { (node as HTMLDetailsElement).open = true })
  await until('the customer\'s profile', async () => /Dana Reyes/.test(await second.page.getByTestId('diag-profile').innerText()))
  t.match(await second.page.getByTestId('diag-profile').innerText(), /solar panels/, 'the profile the first browser built')
  await screenshot(second.page, 'continue-conversation')

  await second.page.reload()
  await second.page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  t.ok((await shownTexts(second.page)).some((text) => text.includes('Dana Reyes')), 'a reload keeps the whole timeline')
  t.same([...first.problems, ...second.problems], [], 'no console errors, page errors or CSP violations')
})
