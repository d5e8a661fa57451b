/// <reference lib="dom" />
// The diagnostics panel (ui.dev_diagnostics) in real headless Chromium: after a turn it shows the session, the exact
// cost the usage endpoint reports, and the profile extracted from what the visitor said.
import t from 'tap'
import { buildChatApp } from '../helpers/chat-app.ts'
import { launchBrowser, MOBILE, newVisitor, screenshot } from '../helpers/browser.ts'
import { formatCost } from '../../client/src/format.ts'
import { DANA_CONTACT, DANA_MESSAGE } from '../fixtures/dana.ts'

const browser = await launchBrowser(t)
const { app, fake } = await buildChatApp(t, {
  config: { app: { name: 'Sunrise Solar' }, profile: { products: ['solar panels'], services: ['installation'] } }
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })

t.test('after a turn the panel shows the session, the exact cost and the extracted profile', async (t) => {
  // Tall enough for the whole panel to be in one picture.
  const { page, problems } = await newVisitor(t, browser, url, { viewport: { width: 1280, height: 1240 } })
  await page.goto('/')
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  const panel = page.getByTestId('diagnostics')
  t.equal(await panel.evaluate((el) => (el as HTMLDetailsElement).open), true, 'open by default on a wide screen')
  const value = async (testId: string) => await page.getByTestId(testId).getAttribute('data-value')
  await page.waitForFunction(() => /^[0-9a-f-]{36}$/.test(document.querySelector('[data-testid="diag-session-id"]')?.textContent ?? ''))
  const session = await (await page.request.get('/api/session')).json() as { session_id: string, is_anonymous: boolean }
  t.equal(await page.getByTestId('diag-session-id').textContent(), session.session_id)
  t.equal(await value('diag-message-count'), '0')
  t.equal(await value('diag-anonymous'), 'true')
  t.equal(await value('diag-usage-requests'), '0')
  t.equal(await value('diag-profile-customer_name'), '', 'no profile yet')

  fake.enqueue({
    reply: 'Thanks, Dana! A surveyor can visit **next Tuesday** to measure up for panels, and we will email the ' +
      'installation quote to dana.reyes@example.com within two working days.',
    cost: 0.000123456
  })
  await page.getByTestId('composer-input').fill(DANA_MESSAGE)
  await page.getByTestId('send-button').click()
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  // The panel refreshes itself when the turn ends.
  await page.locator('[data-testid="diag-usage-requests"][data-value="1"]').waitFor()
  await page.locator('[data-testid="diag-message-count"][data-value="2"]').waitFor()

  const usage = await (await page.request.get(`/api/session/${session.session_id}/usage`)).json() as
    { cost: string, total_tokens: number | string, requests: number | string }
  t.equal(usage.cost, '0.000123456', 'the usage endpoint reports the provider\'s cost')
  t.equal(await value('diag-usage-cost'), usage.cost, 'the panel holds the exact cost string')
  t.equal(await page.getByTestId('diag-usage-cost').textContent(), formatCost(usage.cost), 'and shows it as money')
  t.equal(await page.getByTestId('diag-usage-cost').textContent(), '$0.000123')
  t.equal(await value('diag-usage-tokens'), String(usage.total_tokens))

  const profile = await (await page.request.get('/api/session/profile')).json() as Record<string, unknown>
  const expected: Record<string, string> = DANA_CONTACT
  for (const [field, want] of Object.entries(expected)) {
    t.equal(await value(`diag-profile-${field}`), want, `profile ${field}`)
    t.equal(profile[field], want, `the API agrees on ${field}`)
  }
  t.same(JSON.parse(await value('diag-profile-products_of_interest') ?? 'null'), ['solar panels'])
  t.equal(await page.getByTestId('diag-profile-products_of_interest').textContent(), 'solar panels')
  t.same(JSON.parse(await value('diag-profile-services_of_interest') ?? 'null'), ['installation'])
  t.match(await page.getByTestId('diag-profile-preferences').textContent(), /email/, 'the contact preference is shown')
  const refreshed = await (await page.request.get('/api/session')).json() as { is_anonymous: boolean }
  t.equal(await value('diag-anonymous'), String(refreshed.is_anonymous), 'anonymous or not, as the server says')

  await page.mouse.move(0, 0)
  await screenshot(page, 'diagnostics', '[data-testid="diagnostics"]')
  await screenshot(page, 'diagnostics-page')
  t.same(problems, [], 'no console errors, page errors or CSP violations')
})

t.test('on a 360 px screen the panel is a closed bar above the chat, and nothing scrolls sideways', async (t) => {
  const { page, problems } = await newVisitor(t, browser, url, { viewport: MOBILE, isMobile: true })
  await page.goto('/')
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  const panel = page.getByTestId('diagnostics')
  t.equal(await panel.evaluate((el) => (el as HTMLDetailsElement).open), false, 'closed, so the chat keeps the room')
  await page.getByTestId('composer-input').fill('Do you install solar panels?')
  await page.getByTestId('send-button').click()
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  await page.locator('.diag-summary').click()
  await page.locator('[data-testid="diag-usage-requests"][data-value="1"]').waitFor()
  t.ok(await page.getByTestId('diag-usage-cost').isVisible(), 'opened, it shows the usage')
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll')
  t.ok(await page.getByTestId('composer-input').isVisible(), 'the message box is still there')
  await screenshot(page, 'diagnostics-mobile')
  t.same(problems, [], 'no console errors, page errors or CSP violations')
})
