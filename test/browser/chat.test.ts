/// <reference lib="dom" />
// The chat client in real headless Chromium against the real server, a real Postgres database and the fake
// OpenRouter: streaming, history across reloads, visitor isolation, inert model output, Stop, keyboard use,
// narrow screens, older pages, partial/error replies, inline errors with Retry, and the POST /chat fallback.
import t from 'tap'
import type { Browser, Page } from 'playwright-core'
import { buildChatApp } from '../helpers/chat-app.ts'
import type { FakeOpenRouterOptions } from '../helpers/fake-openrouter.ts'
import { DESKTOP, launchBrowser, MOBILE, newVisitor, screenshot, until, type VisitorOptions } from '../helpers/browser.ts'
import type { PlainObject } from '../../plugins/infrastructure/config/deep-merge.ts'
import { uuidv7 } from '../../db/uuid7.ts'
import type { MessageMetadata } from '../../db/types.ts'

type Test = Parameters<Parameters<typeof t.test>[0]>[0]

/** The real app (fresh database, fake OpenRouter) listening on loopback. */
async function startApp (owner: { teardown: (fn: () => unknown) => void }, config: PlainObject = {}, fake?: FakeOpenRouterOptions) {
  const built = await buildChatApp(owner, { config, fake })
  const url = await built.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...built, url }
}

const browser: Browser = await launchBrowser(t)
// One app for most tests (each test is a new visitor, with a session of its own); teardowns run last-in first-out,
// so every browser context is closed before the app, and the app before the browser.
const main = await startApp(t, { app: { name: 'Sunrise Solar' }, ui: { dev_diagnostics: false }, llm: { max_retries: 0 } })

async function visit (t: Test, url: string, options: VisitorOptions = {}) {
  const v = await newVisitor(t, browser, url, options)
  await v.open()
  return v
}

/** The conversation as shown: [role, text] per message. */
async function shownMessages (page: Page): Promise<Array<[string, string]>> {
  return await page.getByTestId('message').evaluateAll((nodes) => nodes.map((n) => [
    n.getAttribute('data-role') ?? '',
    ((n.querySelector('[data-testid="message-body"]') as HTMLElement | null)?.innerText ?? '').trim()
  ] as [string, string]))
}

async function send (page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('send-button').click()
}

const lastAssistant = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last()

async function sessionId (page: Page): Promise<string> {
  const res = await page.request.get('/api/session')
  return (await res.json() as { session_id: string }).session_id
}

function noProblems (t: Test, problems: string[]): void {
  t.same(problems, [], 'no console errors, page errors or CSP violations')
}

t.test('a reply streams in; a reload shows the same history; another visitor sees none of it', async (t) => {
  const { url, db, fake } = main
  const a = await visit(t, url)
  const { page } = a

  t.ok(await page.getByTestId('greeting').isVisible(), 'an empty history shows a greeting')
  const list = page.getByTestId('message-list')
  t.equal(await list.getAttribute('role'), 'log')
  t.equal(await list.getAttribute('aria-live'), 'polite', 'new messages are announced')
  t.equal(await page.getByTestId('message').count(), 0)

  const words = Array.from({ length: 30 }, (_, i) => `word${i + 1}`)
  const replyText = `Our panels come with a warranty: ${words.join(' ')} and that is all.`
  fake.enqueue({ reply: replyText, interChunkDelayMs: 50 })
  await send(page, 'Tell me about the warranty')

  await page.getByTestId('receiving-indicator').waitFor({ state: 'visible' })
  t.ok(await page.getByTestId('send-button').isDisabled(), 'Send is disabled while a reply streams')
  t.ok(await page.getByTestId('stop-button').isVisible(), 'Stop is offered while a reply streams')
  // Part of the reply is on screen well before the rest has arrived.
  await page.waitForFunction(() => {
    const bodies = document.querySelectorAll('[data-role="assistant"] [data-testid="message-body"]')
    const text = bodies[bodies.length - 1]?.textContent ?? ''
    return text.includes('warranty') && !text.includes('word20')
  })
  t.equal(await lastAssistant(page).getAttribute('data-status'), 'streaming')
  t.ok(await page.getByTestId('greeting').isVisible(), 'the greeting stays at the top of the conversation')

  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  await page.getByTestId('receiving-indicator').waitFor({ state: 'hidden' })
  t.ok(await page.getByTestId('send-button').isEnabled(), 'Send is usable again')
  const before = await shownMessages(page)
  t.same(before, [['human', 'Tell me about the warranty'], ['assistant', replyText]])

  await page.reload()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  t.same(await shownMessages(page), before, 'after a reload the same conversation is listed')
  t.ok(await page.getByTestId('greeting').isVisible(), 'under the same greeting')

  const stored = await db.selectFrom('messages').select(['role', 'content'])
    .where('session_id', '=', await sessionId(page)).orderBy('created_at').execute()
  t.same(stored.map((m) => [m.role, m.content]), before, 'what is shown is what is stored')

  const b = await visit(t, url)
  t.ok(await b.page.getByTestId('greeting').isVisible(), 'another visitor starts with the greeting')
  t.equal(await b.page.getByTestId('message').count(), 0)
  const otherText = await b.page.locator('body').innerText()
  t.notOk(otherText.includes('warranty'), 'and sees none of the first visitor\'s conversation')
  t.not(await sessionId(b.page), await sessionId(page), 'each visitor has a session of their own')

  noProblems(t, a.problems)
  noProblems(t, b.problems)
})

t.test('keyboard only: Tab reaches the message box with a visible focus ring; Shift+Enter adds a line, Enter sends', async (t) => {
  const { page, problems } = await visit(t, main.url)
  // Start from the top of the page, as a keyboard user arriving would (the client focuses the box on load).
  const fromPageStart = () => page.evaluate(() => {
    document.body.tabIndex = -1
    document.body.focus()
    document.body.removeAttribute('tabindex')
  })
  await fromPageStart()

  const focused = () => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (el === null || el === document.body) return null
    const style = getComputedStyle(el)
    return {
      testId: el.getAttribute('data-testid') ?? el.className,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      border: style.borderColor
    }
  })
  await page.keyboard.press('Tab')
  const first = await focused()
  t.match(first, { testId: 'skip-link', outline: true }, 'the first Tab lands on a visible skip link')
  const skipBox = await page.locator('.skip-link').boundingBox()
  t.ok(skipBox !== null && skipBox.y >= 0, 'the skip link is on screen when focused')

  await page.keyboard.press('Tab')
  t.match(await focused(), { testId: 'memory-button', outline: true }, 'then "What we know about you" in the header')
  await page.keyboard.press('Tab')
  t.match(await focused(), { testId: 'message-list', outline: true }, 'then the conversation, scrollable by keyboard')
  await page.keyboard.press('Tab')
  t.match(await focused(), { testId: 'composer-input', outline: true }, 'the fourth Tab reaches the message box, with a focus ring')

  await page.keyboard.type('Do you sell batteries?')
  await page.keyboard.press('Shift+Enter')
  await page.keyboard.type('And inverters?')
  const input = page.getByTestId('composer-input')
  t.equal(await input.inputValue(), 'Do you sell batteries?\nAnd inverters?', 'Shift+Enter inserts a newline')
  t.equal(await page.getByTestId('message').count(), 0, 'and sends nothing')

  await page.keyboard.press('Enter')
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  t.same(await shownMessages(page), [
    ['human', 'Do you sell batteries?\nAnd inverters?'],
    ['assistant', 'Echo: Do you sell batteries?\nAnd inverters?']
  ], 'Enter sends, keeping the line break')
  t.equal(await input.inputValue(), '', 'the box is cleared')
  t.equal((await focused())?.testId, 'composer-input', 'focus stays in the message box for the next message')

  // The skip link works from the keyboard too.
  await fromPageStart()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.activeElement?.id === 'composer-input')
  t.pass('the skip link moves focus to the message box')
  noProblems(t, problems)
})

t.test('model output is inert: no <img onerror>, no javascript: link, no <script>', async (t) => {
  const { url, fake } = main
  const hostile = [
    'Sure! <img src=x onerror="window.__xss=1"> Here is [click](javascript:window.__xss=2) and',
    '<script>window.__xss=3</script> <a href="javascript:window.__xss=5">raw link</a>',
    '<svg onload="window.__xss=6"></svg> [safe](https://example.com/warranty) done.'
  ].join('\n\n')
  // Without the CSP, so only the sanitizer stands between the reply and the page.
  const { page, problems } = await visit(t, url, { enforceCsp: false })
  const check = async (when: string) => {
    const found = await page.evaluate(() => ({
      xss: (window as { __xss?: unknown }).__xss,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      imgs: document.querySelectorAll('[data-testid="message-list"] img').length,
      scripts: document.querySelectorAll('[data-testid="message-list"] script, [data-testid="message-list"] svg').length,
      hrefs: Array.from(document.querySelectorAll('[data-testid="message-list"] a'), (a) => a.getAttribute('href'))
    }))
    t.equal(found.xss, undefined, `${when}: nothing ran`)
    t.equal(found.handlers, 0, `${when}: no event-handler attributes`)
    t.equal(found.imgs, 0, `${when}: no <img>`)
    t.equal(found.scripts, 0, `${when}: no <script> or <svg>`)
    t.notOk(found.hrefs.some((href) => href !== null && /^\s*javascript:/i.test(href)), `${when}: no javascript: href`)
    t.ok(found.hrefs.includes('https://example.com/warranty'), `${when}: a safe link keeps its href`)
  }

  fake.enqueue({ reply: hostile })
  await send(page, '<b>bold?</b> <img src=x onerror="window.__xss=4">')
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  t.equal(await page.locator('[data-role="human"] [data-testid="message-body"]').textContent(),
    '<b>bold?</b> <img src=x onerror="window.__xss=4">', 'the visitor\'s own text is shown as text')
  const reply = lastAssistant(page).getByTestId('message-body')
  t.ok((await reply.textContent())?.includes('Sure!'), 'the rest of the reply is shown')
  await check('streamed')

  for (const name of ['click', 'raw link']) {
    const link = reply.getByText(name, { exact: true })
    await link.click()
  }
  t.equal(page.url(), `${url}/`, 'clicking the neutered links goes nowhere')
  t.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined, 'and runs nothing')
  const safe = reply.getByRole('link', { name: 'safe' })
  t.equal(await safe.getAttribute('rel'), 'noopener noreferrer')
  t.equal(await safe.getAttribute('target'), '_blank')

  await page.reload()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  await check('from history')
  noProblems(t, problems)
})

t.test('Stop mid-stream: the reply shows as stopped, the box is usable, the server finishes and stores it', async (t) => {
  const { url, db, fake } = main
  const { page, problems } = await visit(t, url)
  const session = await sessionId(page)
  // About 2 s of reply, so Stop lands mid-stream even on a busy machine.
  const replyText = Array.from({ length: 40 }, (_, i) => `part${i + 1}`).join(' ')
  fake.enqueue({ reply: replyText, interChunkDelayMs: 50 })
  await send(page, 'Write me a long answer')

  await page.waitForFunction(() => /part3\b/.test(document.querySelector('[data-role="assistant"] [data-testid="message-body"]')?.textContent ?? ''))
  await page.getByTestId('stop-button').click()
  const message = lastAssistant(page)
  t.equal(await message.getAttribute('data-status'), 'partial')
  t.equal(await message.getByTestId('message-label').textContent(), 'stopped', 'labelled as stopped')
  t.ok(await message.getByTestId('message-label').isVisible())
  await page.getByTestId('stop-button').waitFor({ state: 'hidden' })
  t.notOk(await page.getByTestId('receiving-indicator').isVisible(), 'no longer receiving')
  const input = page.getByTestId('composer-input')
  t.ok(await input.isEnabled())
  t.equal(await page.evaluate(() => document.activeElement?.id), 'composer-input', 'focus returns to the message box')
  await input.fill('Thanks, that will do')
  t.ok(await page.getByTestId('send-button').isEnabled(), 'a next message can be sent')
  const shownAtStop = await message.getByTestId('message-body').textContent() ?? ''
  t.ok(shownAtStop.startsWith('part1 part2 part3') && !shownAtStop.includes('part40'), 'part of the reply was shown')

  // on_client_disconnect: finish (the default) — the server completes the reply and stores it whole.
  const stored = await until('the finished reply in the database', async () =>
    await db.selectFrom('messages').select(['content', 'metadata'])
      .where('session_id', '=', session).where('role', '=', 'assistant').executeTakeFirst())
  t.equal(stored.content, replyText, 'the server finished the reply')
  t.equal(stored.metadata.status, 'complete')
  t.equal(await message.getByTestId('message-body').textContent(), shownAtStop, 'nothing more appeared after Stop')

  await page.getByTestId('send-button').click()
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  t.equal(await page.locator('[data-role="human"]').count(), 2)

  await page.reload()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  t.same((await shownMessages(page))[1], ['assistant', replyText], 'after a reload the stored, finished reply is shown')
  noProblems(t, problems)
})

t.test('Stop with on_client_disconnect: abort — the server stops too and keeps the part, shown as stopped after a reload', async (t) => {
  const { url, db, fake } = await startApp(t, { llm: { on_client_disconnect: 'abort' } })
  const { page, problems } = await visit(t, url)
  const replyText = Array.from({ length: 40 }, (_, i) => `part${i + 1}`).join(' ')
  fake.enqueue({ reply: replyText, interChunkDelayMs: 50 })
  await send(page, 'Write me a long answer')
  await page.waitForFunction(() => /part3\b/.test(document.querySelector('[data-role="assistant"] [data-testid="message-body"]')?.textContent ?? ''))
  await page.getByTestId('stop-button').click()
  await page.getByTestId('stop-button').waitFor({ state: 'hidden' })
  const shownAtStop = (await lastAssistant(page).getByTestId('message-body').innerText()).trim()

  const stored = await until('the partial reply in the database', async () =>
    await db.selectFrom('messages').select(['content', 'metadata']).where('role', '=', 'assistant').executeTakeFirst())
  t.equal(stored.metadata.status, 'partial', 'stored as partial')
  t.ok(stored.content.startsWith(shownAtStop), 'it holds what the visitor saw (and what was in flight)')
  t.ok(replyText.startsWith(stored.content) && stored.content.length < replyText.length, 'and no more than the LLM had sent')
  t.equal(fake.stats.streamsAborted, 1, 'the LLM call was cancelled')

  await page.reload()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  const message = lastAssistant(page)
  t.equal(await message.getAttribute('data-status'), 'partial')
  t.equal(await message.getByTestId('message-label').textContent(), 'stopped', 'still labelled as stopped after a reload')
  t.equal((await message.getByTestId('message-body').innerText()).trim(), stored.content.trim())
  noProblems(t, problems)
})

t.test('history: older messages load on scrolling to the top; partial and error replies are labelled', async (t) => {
  const { url, db } = main
  const { page, problems } = await visit(t, url)
  const session = await sessionId(page)

  const start = Date.now() - 3_600_000
  const rows = Array.from({ length: 64 }, (_, i) => {
    const human = i % 2 === 0
    const status = i === 61 ? 'partial' : i === 63 ? 'error' : 'complete'
    return {
      id: uuidv7(),
      session_id: session,
      role: human ? 'human' as const : 'assistant' as const,
      content: human ? `Question number ${i}` : `Answer number ${i}`,
      metadata: JSON.stringify(human ? {} : { status }) as unknown as MessageMetadata,
      created_at: new Date(start + i * 1000)
    }
  })
  await db.insertInto('messages').values(rows).execute()

  await page.reload()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  t.equal(await page.getByTestId('message').count(), 50, 'the first page holds the newest 50')
  t.equal(await page.getByTestId('greeting').count(), 0, 'no greeting in the middle of a conversation')
  t.same((await shownMessages(page)).at(-1), ['assistant', 'Answer number 63'])
  const list = page.getByTestId('message-list')
  t.ok(await list.evaluate((el) => el.scrollTop > 0 && el.scrollHeight - el.scrollTop - el.clientHeight < 2),
    'the list opens scrolled to the newest message')

  const partial = page.locator('[data-testid="message"][data-status="partial"]')
  const error = page.locator('[data-testid="message"][data-status="error"]')
  t.equal(await partial.getByTestId('message-label').textContent(), 'stopped', 'a partial reply is labelled')
  t.equal(await error.getByTestId('message-label').textContent(), 'interrupted', 'an error reply is labelled')
  t.ok(await error.getByTestId('message-label').isVisible())
  t.equal(await page.locator('[data-testid="message"][data-status="complete"] [data-testid="message-label"]:visible').count(), 0,
    'complete replies carry no label')

  const firstShown = page.getByText('Question number 14', { exact: true })
  // Scroll to the top with the mouse wheel, as a visitor would.
  await list.hover()
  await page.mouse.wheel(0, -100_000)
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 64)
  t.same(await shownMessages(page), rows.map((r) => [r.role, r.content]), 'all 64, in order, none twice')
  await page.getByTestId('load-older').waitFor({ state: 'hidden' })
  t.pass('no more to load')
  t.ok(await page.locator('.list-items > :first-child').evaluate((el) => el.getAttribute('data-testid') === 'greeting'),
    'the conversation\'s beginning opens with the greeting')
  const box = await firstShown.boundingBox()
  const listBox = await list.boundingBox()
  t.ok(box !== null && listBox !== null && box.y >= listBox.y - 1 && box.y < listBox.y + listBox.height,
    'the message that was at the top stays in view (the list does not jump)')
  noProblems(t, problems)
})

t.test('an upstream error shows inline; Retry resends the same client_message_id and succeeds', async (t) => {
  const { url, db, fake } = main
  const { page, problems } = await visit(t, url)
  const session = await sessionId(page)
  const ids: string[] = []
  page.on('request', (request) => {
    const u = new URL(request.url())
    if (u.pathname === '/events/stream') ids.push(u.searchParams.get('client_message_id') ?? '')
    if (u.pathname === '/chat') ids.push((request.postDataJSON() as { client_message_id: string }).client_message_id)
  })

  fake.enqueue({ failBefore: { status: 503, message: 'No provider' } })
  await send(page, 'Can you install a heat pump?')
  const banner = page.getByTestId('error-banner')
  await banner.waitFor()
  t.equal(await banner.getAttribute('role'), 'alert', 'the error is announced')
  t.match(await banner.locator('p').textContent(), /^The assistant couldn’t answer just now\. Please try again\.$/,
    'the banner explains in plain words, without the provider\'s error text')
  t.equal(await page.locator('[data-role="human"]').getAttribute('data-status'), 'failed')
  t.equal(await page.locator('[data-role="assistant"]').count(), 0, 'no empty reply bubble is left behind')
  t.ok(await page.getByTestId('composer-input').isEnabled())

  await banner.getByTestId('retry-button').click()
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  t.equal(await banner.count(), 0, 'the banner goes away')
  t.same(await shownMessages(page), [['human', 'Can you install a heat pump?'], ['assistant', 'Echo: Can you install a heat pump?']])
  t.equal(ids.length, 2)
  t.equal(ids[0], ids[1], 'the retry reuses the client_message_id')
  t.match(ids[0], /^[0-9a-f-]{36}$/)
  const asked = fake.completions().filter((c) => JSON.stringify(c.body).includes('install a heat pump'))
  t.equal(asked.length, 2, 'the LLM was asked twice')

  const humans = await db.selectFrom('messages').select(['content', 'metadata'])
    .where('session_id', '=', session).where('role', '=', 'human').execute()
  t.equal(humans.length, 1, 'the database holds the human message once')
  t.equal(humans[0]?.metadata.client_message_id, ids[0])

  // Cut off part-way: what arrived stays, marked as interrupted; Retry asks for a new reply, shown after it.
  fake.enqueue({ reply: 'Heat pumps are great because', failMidStream: { afterDeltas: 3, code: 502, message: 'Provider disconnected' } })
  await send(page, 'Why a heat pump?')
  await banner.waitFor()
  t.equal(await banner.locator('p').textContent(), 'The reply was cut off before it finished. Please try again.')
  const cut = page.locator('[data-testid="message"][data-status="error"]')
  t.equal((await cut.getByTestId('message-body').innerText()).trim(), 'Heat pumps are', 'the text that arrived stays')
  t.equal(await cut.getByTestId('message-label').textContent(), 'interrupted')
  await banner.getByTestId('retry-button').click()
  await page.locator('[data-role="assistant"][data-status="complete"] >> nth=1').waitFor()
  const live = await shownMessages(page)
  t.same(live.slice(2), [['human', 'Why a heat pump?'], ['assistant', 'Heat pumps are'], ['assistant', 'Echo: Why a heat pump?']],
    'the interrupted reply, then the new one')
  t.equal(ids.at(-1), ids.at(-2), 'the same client_message_id again')
  await page.reload()
  await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
  t.same(await shownMessages(page), live, 'a reload shows the conversation as it was on screen')
  t.equal(await page.locator('[data-testid="message"][data-status="error"] [data-testid="message-label"]').textContent(), 'interrupted')
  noProblems(t, problems)
})

t.test('with ui.sse_enabled false the client falls back to POST /chat', async (t) => {
  const { url, fake } = await startApp(t, { ui: { sse_enabled: false } })
  const { page, problems } = await visit(t, url)
  const paths: string[] = []
  page.on('request', (request) => { paths.push(`${request.method()} ${new URL(request.url()).pathname}`) })

  fake.enqueue({ reply: 'Yes, **we do**: see [our page](https://example.com/quotes).', firstTokenDelayMs: 600 })
  await send(page, 'Do you give quotes?')
  await page.getByTestId('receiving-indicator').waitFor()
  t.ok(await page.getByTestId('send-button').isDisabled())
  await page.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  const body = lastAssistant(page).getByTestId('message-body')
  t.equal((await body.textContent())?.trim(), 'Yes, we do: see our page.')
  t.equal(await body.locator('strong').textContent(), 'we do', 'Markdown is rendered')
  t.ok(paths.includes('POST /chat'), 'the turn went by POST /chat')
  t.notOk(paths.some((p) => p.endsWith('/events/stream')), 'and not by the event stream')
  noProblems(t, problems)
})

t.test('360 px wide and desktop: no sideways scrolling, the composer in view; screenshots', async (t) => {
  const { url, fake } = main
  const longWord = 'https://example.com/' + 'a-very-long-path-segment/'.repeat(6)
  const replies = [
    'Hi Dana! We install **solar panels** and home batteries across Illinois. A typical install includes:\n\n' +
      '- a free site survey and a fixed-price quote\n- permits and utility paperwork handled for you\n' +
      '- a 25-year panel warranty and 10 years on workmanship\n\nWould you like me to book a survey?',
    'Great — a surveyor can visit **next Tuesday or Thursday morning**. Which suits you better? ' +
      'You can also read [how the survey works](https://example.com/survey).',
    `Here is the link, in full: ${longWord}\n\n\`\`\`\nsystem size: 6.4 kW · panels: 16 × 400 W · est. output: 7,900 kWh/yr\n\`\`\``
  ]
  const questions = [
    'Hi, I’m Dana. Do you install solar panels in Springfield?',
    'Yes please, what days do you have?',
    'Can you send me that link?'
  ]

  for (const [name, viewport, isMobile] of [['chat-desktop', DESKTOP, false], ['chat-mobile', MOBILE, true]] as const) {
    const { page, problems } = await visit(t, url, { viewport, isMobile })
    for (const [i, question] of questions.entries()) {
      fake.enqueue({ reply: replies[i]! })
      await send(page, question)
      await page.locator(`[data-role="assistant"][data-status="complete"] >> nth=${i}`).waitFor()
      // The desktop picture is the first two turns (it fits the window); the phone's shows the long link too.
      if (name === 'chat-desktop' && i === 1) {
        await page.mouse.move(0, 0)
        await screenshot(page, name)
      }
    }
    const layout = await page.evaluate(() => {
      const composer = document.querySelector('[data-testid="composer-input"]')!.getBoundingClientRect()
      const button = document.querySelector('[data-testid="send-button"]')!.getBoundingClientRect()
      return {
        scrollWidth: document.documentElement.scrollWidth,
        bodyScrollWidth: document.body.scrollWidth,
        innerWidth: window.innerWidth,
        innerHeight: window.innerHeight,
        composer: { left: composer.left, right: composer.right, top: composer.top, bottom: composer.bottom },
        button: { right: button.right, bottom: button.bottom, height: button.height }
      }
    })
    t.ok(layout.scrollWidth <= viewport.width, `${name}: no horizontal scroll (${layout.scrollWidth} ≤ ${viewport.width})`)
    t.ok(layout.bodyScrollWidth <= viewport.width, `${name}: the body does not overflow either`)
    t.ok(layout.composer.left >= 0 && layout.composer.top >= 0 && layout.composer.bottom <= layout.innerHeight,
      `${name}: the message box is in view`)
    t.ok(layout.button.right <= layout.innerWidth && layout.button.bottom <= layout.innerHeight, `${name}: Send is in view`)
    t.ok(layout.button.height >= 44, `${name}: Send is a comfortable touch target`)
    if (name === 'chat-mobile') await screenshot(page, name)
    noProblems(t, problems)
  }
})
