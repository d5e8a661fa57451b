/// <reference lib="dom" />
// The operator console in real headless Chromium (SPEC §12): sign in by keyboard, find a lead by search, read their
// transcript (and reload it: its address is its own), see the cost charts drawn with data, review a collision,
// and read it all on a 360 px screen — with no console error or CSP violation on the way.
import t from 'tap'
import type { Page } from 'playwright-core'
import { visitor } from '../helpers/chat-app.ts'
import { ADMIN_TOKEN, buildConsoleApp } from '../helpers/admin.ts'
import { buildTestApp } from '../helpers/app.ts'
import { launchBrowser, MOBILE, newVisitor, screenshot } from '../helpers/browser.ts'
import { DANA_MESSAGE } from '../fixtures/dana.ts'
import { uuidv7 } from '../../db/uuid7.ts'

const browser = await launchBrowser(t)
// Visitors to look at: Dana (all her details, two turns), Sam (a name), and a second browser giving Dana's email.
const { app, db, fake, danaId } = await buildConsoleApp(t)
const url = await app.listen({ port: 0, host: '127.0.0.1' })
const twin = visitor(app)
await twin.post('It is Dana again, dana.reyes@example.com, from my phone')

// Two weeks of earlier requests, so the charts have days to draw.
const models = ['openai/gpt-oss-20b', 'anthropic/claude-haiku']
await db.insertInto('llm_requests').values(Array.from({ length: 28 }, (_, i) => ({
  id: uuidv7(),
  session_id: danaId,
  provider: 'openrouter',
  model: models[i % 2]!,
  request_body: JSON.stringify({ metadata: { purpose: i % 3 === 0 ? 'profile_extraction' : 'chat' } }) as never,
  response_body: JSON.stringify({ status: 'complete', ttft_ms: 150 + i * 7 }) as never,
  prompt_tokens: 400 + i * 10,
  completion_tokens: 120 + i * 3,
  total_tokens: 520 + i * 13,
  computed_cost: `0.000${100 + i * 17}`,
  latency_ms: 900 + i * 40,
  created_at: new Date(Date.now() - (Math.floor(i / 2) + 1) * 86_400_000)
}))).execute()

async function signIn (page: Page) {
  await page.getByTestId('login-token').waitFor()
  await page.getByTestId('login-token').focus()
  await page.keyboard.type(ADMIN_TOKEN)
  await page.keyboard.press('Enter')
}

t.test('signing in by keyboard; a wrong token says so; the session survives a reload', async (t) => {
  const { page, problems } = await newVisitor(t, browser, url, { allowConsole: [/401 \(Unauthorized\)/, /404 \(Not Found\)/] })
  await page.goto('/admin/leads')
  t.equal(await page.getByTestId('view-title').textContent(), 'Sign in', 'a stranger sees the login page')
  await page.getByTestId('login-token').fill('not-the-admin-token')
  await page.keyboard.press('Enter')
  await page.getByText('That token is not right.').waitFor()
  await page.getByTestId('login-token').fill('')
  await signIn(page)
  await page.getByTestId('lead-table').waitFor()
  t.equal(new URL(page.url()).pathname, '/admin/leads')
  const cookies = await page.context().cookies()
  const admin = cookies.find((c) => c.name === 'salient_admin')
  t.match(admin, { httpOnly: true, sameSite: 'Strict' }, 'an httpOnly, SameSite=Strict cookie')
  t.not(admin?.value, ADMIN_TOKEN, 'which is not the token')
  await page.reload()
  await page.getByTestId('lead-table').waitFor()
  await page.getByTestId('logout-button').click()
  await page.getByTestId('login-form').waitFor()
  t.same(problems.filter((p) => !/status of 40[14]/.test(p)), [], 'no console errors besides the expected 401/404 answers')
})

t.test('a lead found by search, their transcript with its figures and facts, reloaded by its address', async (t) => {
  const { page, problems } = await newVisitor(t, browser, url, { viewport: { width: 1280, height: 900 }, allowConsole: [/404 \(Not Found\)/] })
  await page.goto('/admin')
  await signIn(page)
  await page.getByTestId('lead-table').waitFor()
  t.equal(await page.locator('[data-testid="lead-table"] tbody tr').count(), 3, 'Dana, Sam, and the second browser that gave an email')
  await page.getByTestId('lead-q').fill('dana reyes')
  await page.getByTestId('lead-q').press('Enter')
  await page.waitForURL(/\/admin\/leads\?q=dana\+reyes$/)
  await page.locator('[data-testid="lead-table"] tbody tr').first().waitFor()
  const rows = await page.locator('[data-testid="lead-table"] tbody tr').allInnerTexts()
  t.equal(rows.length, 1, 'one lead matches')
  t.match(rows[0], /Dana Reyes/)
  t.match(rows[0], /dana\.reyes@example\.com/)
  t.match(rows[0], /\+14155550134/)
  t.match(rows[0], /solar panels/)
  await screenshot(page, 'console-leads')

  await page.getByTestId('lead-link').first().click()
  await page.waitForURL(new RegExp(`/admin/conversations/${danaId}$`))
  await page.getByTestId('transcript').waitFor()
  const check = async () => {
    t.equal(await page.getByTestId('transcript-session-id').textContent(), danaId)
    t.equal(await page.getByTestId('transcript-message').count(), 4)
    const first = page.getByTestId('transcript-message').nth(0)
    t.match(await first.locator('.message-text').textContent(), DANA_MESSAGE)
    t.match(await first.getByTestId('message-facts').innerText(), /email: dana\.reyes@example\.com/)
    const reply = page.getByTestId('transcript-message').nth(1)
    t.equal(await reply.locator('[data-field="cost"]').textContent(), '$0.000123')
    t.match(await reply.locator('[data-field="latency"]').textContent(), /^\d[\d,]* ms$/)
    t.match(await reply.locator('[data-field="first token"]').textContent(), /^\d[\d,]* ms$/)
    t.match(await reply.locator('[data-field="model"]').textContent(), /\w/)
    t.match(await reply.locator('[data-field="tokens"]').textContent(), /\d+ in · \d+ out/)
  }
  await check()
  await screenshot(page, 'console-transcript')
  await page.reload()
  await page.getByTestId('transcript').waitFor()
  await check()
  await page.goBack()
  await page.getByTestId('lead-table').waitFor()
  t.equal(await page.getByTestId('lead-q').inputValue(), 'dana reyes', 'Back returns to the filtered list')
  t.same(problems, [])
})

t.test('costs: the charts are drawn with data, each with its data table', async (t) => {
  const { page, problems } = await newVisitor(t, browser, url, { viewport: { width: 1280, height: 1400 }, allowConsole: [/404 \(Not Found\)/] })
  await page.goto('/admin/costs')
  await signIn(page)
  await page.locator('[data-testid="chart-cost-model"][data-drawn="true"]').waitFor()
  for (const id of ['chart-cost-model', 'chart-tokens-model', 'chart-cost-purpose', 'chart-tokens-purpose', 'chart-requests', 'chart-latency']) {
    const painted = await page.locator(`[data-testid="${id}"] canvas`).evaluate((canvas) => {
      const c = canvas as HTMLCanvasElement
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let inked = 0
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) inked++
      return inked
    })
    t.ok(painted > 500, `${id} is drawn (${painted} pixels)`)
  }
  const legend = await page.locator('[data-testid="chart-cost-model"]').innerText()
  t.match(legend, /openai\/gpt-oss-20b/)
  t.match(legend, /anthropic\/claude-haiku/)
  const table = page.getByTestId('chart-cost-model-table')
  t.equal(await table.locator('tbody tr').count(), 30, 'one row a day for the default 30 days')
  t.match(await page.getByTestId('model-table').innerText(), /anthropic\/claude-haiku/)
  t.match(await page.getByTestId('cost-per-lead').getAttribute('data-value'), /^\d+(\.\d+)?$/, 'cost per lead as a decimal string')
  await page.getByTestId('costs-last-7').click()
  await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=/)
  await page.locator('[data-testid="chart-cost-model"][data-drawn="true"]').waitFor()
  t.equal(await page.getByTestId('chart-cost-model-table').locator('tbody tr').count(), 7)
  await screenshot(page, 'console-costs')
  t.same(problems, [])
})

t.test('collisions: both sessions side by side; Merge makes one customer, Undo gives the session back', async (t) => {
  const { page, problems } = await newVisitor(t, browser, url, { viewport: { width: 1280, height: 1100 }, allowConsole: [/404 \(Not Found\)/] })
  await page.goto('/admin/collisions')
  await signIn(page)
  await page.getByTestId('collision').first().waitFor()
  t.equal(await page.getByTestId('collision').count(), 1)
  const sides = page.getByTestId('collision-side')
  t.equal(await sides.count(), 2)
  const both = (await sides.allInnerTexts()).join('\n')
  t.match(both, /Dana Reyes/)
  t.match(both, /from my phone/, 'the other session\'s last message')
  await screenshot(page, 'console-collisions')

  await page.getByTestId('collision-merge').click()
  await page.getByText('No open collisions.').waitFor()
  const links = page.locator('[data-testid="link-table"] tbody tr')
  await links.nth(1).waitFor()
  t.equal(await links.count(), 2, 'both sessions linked')
  t.match(await page.getByTestId('link-table').innerText(), /operator/)
  const merged = await db.selectFrom('sessions').select(['id', 'customer_id']).where('customer_id', 'is not', null).execute()
  t.equal(merged.length, 2, 'two sessions share one customer')
  t.equal(new Set(merged.map((s) => s.customer_id)).size, 1)

  await page.getByTestId('link-undo').first().click()
  await page.locator('[data-testid="link-table"] tbody tr', { hasText: 'undone' }).waitFor()
  t.equal(await page.getByTestId('link-undo').count(), 1, 'one link left to undo')
  const undone = await db.selectFrom('identity_links').select('session_id').where('undone_at', 'is not', null).execute()
  t.equal(undone.length, 1, 'the undo is recorded')
  const back = await db.selectFrom('sessions').select('customer_id').where('id', '=', undone[0]!.session_id).executeTakeFirstOrThrow()
  t.equal(back.customer_id, null, 'that session is anonymous again')
  await screenshot(page, 'console-links')
  t.same(problems.filter((p) => !/status of 404/.test(p)), [])
})

t.test('the outbox lists the emails the server stored', async (t) => {
  fake.enqueue({ reply: 'Sure.' })
  const verifying = visitor(app)
  await verifying.post('Please note my email: pat.lee@example.com')
  const sent = await verifying.request({ method: 'POST', url: '/api/session/verify-email', payload: {} })
  t.equal(sent.statusCode, 202)
  const { page, problems } = await newVisitor(t, browser, url, { allowConsole: [/404 \(Not Found\)/] })
  await page.goto('/admin/outbox')
  await signIn(page)
  await page.getByTestId('outbox-table').waitFor()
  const text = await page.getByTestId('outbox-table').innerText()
  t.match(text, /pat\.lee@example\.com/)
  t.notMatch(text, /\b\d{6}\b/, 'no verification code on screen')
  t.same(problems, [])
})

t.test('at 360 px every view reads without sideways scrolling', async (t) => {
  const { page, problems } = await newVisitor(t, browser, url, { viewport: MOBILE, isMobile: true, allowConsole: [/404 \(Not Found\)/] })
  await page.goto('/admin/leads')
  await signIn(page)
  await page.getByTestId('lead-table').waitFor()
  const wide = () => page.evaluate(() => document.documentElement.scrollWidth)
  t.ok(await wide() <= 360, 'leads')
  await screenshot(page, 'console-leads-mobile')
  await page.goto(`/admin/conversations/${danaId}`)
  await page.getByTestId('transcript').waitFor()
  t.ok(await wide() <= 360, 'transcript')
  await page.goto('/admin/costs')
  await page.locator('[data-testid="chart-cost-model"][data-drawn="true"]').waitFor()
  t.ok(await wide() <= 360, 'costs')
  t.same(problems.filter((p) => !/status of 404/.test(p)), [])
})

t.test('with no admin token the console says how to set one', async (t) => {
  const { app: closed } = await buildTestApp(t)
  const closedUrl = await closed.listen({ port: 0, host: '127.0.0.1' })
  const { page, problems } = await newVisitor(t, browser, closedUrl)
  await page.goto('/admin/leads')
  await page.getByText('The console is switched off').waitFor()
  t.match(await page.getByTestId('view').innerText(), /Set ADMIN_TOKEN/)
  t.ok(await page.locator('#console-nav').isHidden(), 'no navigation into a closed console')
  t.same(problems, [], 'and it asked the API nothing')
})
