/// <reference lib="dom" />
// The chat on another site (SPEC §13), in real headless Chromium with third-party storage partitioning on (as shipped
// browsers run; Playwright turns it off) and third-party cookies blocked (Chromium's default): the host page is served
// from http://localhost:A by a tiny server in this file, the chat from http://127.0.0.1:B (another site), and the host
// page has a strict CSP of its own. Open, chat, reload the host: the same conversation; the host's styles and scripts
// do not reach the chat, nor the chat's styles the page; "What we know about you" opens inside the frame on a phone;
// a site not allowed gets no chat; the host's identity token reaches the server.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { SignJWT } from 'jose'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { buildChatApp } from '../helpers/chat-app.ts'
import { DESKTOP, launchBrowser, MOBILE, screenshot, until } from '../helpers/browser.ts'

type Test = Parameters<Parameters<typeof t.test>[0]>[0]
/** What the launcher adds to the host page's window. */
type HostWindow = Window & { SalientChat?: { open: () => void, close: () => void, identify: (token: string) => void } }
interface Teardown { teardown: (fn: () => unknown) => void }

const IDENTITY_SECRET = 'a-host-site-secret-of-at-least-32-characters'
const HOSTILE_CSS = '* { all: revert; font-size: 40px !important; color: red !important }'
const SITE_CSS = `
body { margin: 0; font: 17px/1.6 Georgia, serif; color: #1f2937; background: #fffbeb; }
.site-header { display: flex; justify-content: space-between; align-items: center; padding: 18px 40px; background: #92400e; color: #fff; }
.site-header nav a { color: #fde68a; margin-left: 24px; text-decoration: none; }
main { max-width: 720px; padding: 56px 40px; }
h1 { font-size: 44px; line-height: 1.15; margin: 0 0 16px; color: #78350f; }
.cta { font: inherit; padding: 12px 22px; border-radius: 6px; border: 0; background: #d97706; color: #fff; }
`

function escapeAttribute (value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')
}

/** A host page: ?hostile=1 adds the hostile stylesheet, ?widget=0 leaves the script out, ?frame=<url> frames a URL
 * directly (no launcher), data-* parameters become the script tag's attributes. */
function hostPage (query: URLSearchParams, chatUrl: string): string {
  const attributes = [...query].filter(([name]) => name.startsWith('data-'))
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('')
  const frame = query.get('frame')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sunrise Solar</title>
<link rel="stylesheet" href="/site.css">${query.get('hostile') === '1' ? '<link rel="stylesheet" href="/hostile.css">' : ''}</head>
<body><header class="site-header"><strong>Sunrise Solar</strong><nav><a href="/">Panels</a><a href="/">Batteries</a><a href="/">Installers</a></nav></header>
<main><h1 id="headline">Power your home with the sun</h1>
<p id="lede">Rooftop panels, home batteries, and a team that installs them in a day. Ask our assistant anything.</p>
<button id="cta" class="cta" type="button">Get a quote</button></main>
${frame !== null ? `<iframe id="direct" src="${escapeAttribute(frame)}"${query.get('referrer') === 'none' ? ' referrerpolicy="no-referrer"' : ''}></iframe>` : ''}
${query.get('widget') === '0' ? '' : `<script src="${chatUrl}/widget.js" async${attributes}></script>`}
</body></html>`
}

/** The tiny static server of a host site, with a strict CSP of its own (no inline script or style). */
async function startHostSite (owner: Teardown, hostname: string, chatUrl: () => string): Promise<string> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host')
    const chat = chatUrl()
    if (url.pathname === '/site.css' || url.pathname === '/hostile.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(url.pathname === '/site.css' ? SITE_CSS : HOSTILE_CSS)
      return
    }
    if (url.pathname !== '/') {
      res.writeHead(204).end()
      return
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self' ${chat}; frame-src ${chat}; style-src 'self'; connect-src 'self' ${chat}`
    }).end(hostPage(url.searchParams, chat))
  })
  await new Promise<void>((resolve) => server.listen(0, hostname, resolve))
  owner.teardown(() => new Promise((resolve) => server.close(resolve)))
  return `http://${hostname}:${(server.address() as AddressInfo).port}`
}

const browser: Browser = await launchBrowser(t, { storagePartitioning: true })
let chatUrl = ''
const site = await startHostSite(t, 'localhost', () => chatUrl)
const otherSite = await startHostSite(t, '127.0.0.2', () => chatUrl)
const chat = await buildChatApp(t, {
  config: { app: { name: 'Sunrise Solar' }, ui: { dev_diagnostics: false }, embed: { allowed_origins: [site] }, identity: { secret: IDENTITY_SECRET } }
})
chatUrl = await chat.app.listen({ port: 0, host: '127.0.0.1' })

interface Visitor {
  context: BrowserContext
  page: Page
  /** Console errors, page errors and CSP violations, in the page and in the chat's frame. */
  problems: string[]
  warnings: string[]
}

async function newHostVisitor (t: Test, options: { viewport?: { width: number, height: number }, allow?: RegExp[] } = {}): Promise<Visitor> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce', locale: 'en-US' })
  t.teardown(() => context.close())
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  const problems: string[] = []
  const warnings: string[] = []
  page.on('console', (message) => {
    const text = `console.${message.type()}: ${message.text()}`
    if (message.type() === 'warning') warnings.push(message.text())
    const problem = message.type() === 'error' || /Content.Security.Policy/i.test(message.text())
    if (problem && !(options.allow ?? []).some((re) => re.test(text))) problems.push(text)
  })
  page.on('pageerror', (err) => { problems.push(`pageerror: ${err.message}`) })
  return { context, page, problems, warnings }
}

const launcher = (page: Page) => page.getByRole('button', { name: 'Open chat' })
const panel = (page: Page) => page.getByRole('dialog', { name: 'Sunrise Solar' })

/** The chat's frame, once it has loaded the conversation. */
async function chatFrame (page: Page): Promise<Frame> {
  const frame = await until('the chat frame', async () => page.frames().find((f) => f.url().startsWith(`${chatUrl}/embed?`)))
  await frame.locator('[aria-label="Message"]:not([disabled])').waitFor()
  return frame
}

async function openChat (page: Page): Promise<Frame> {
  await launcher(page).click()
  await panel(page).waitFor({ state: 'visible' })
  return await chatFrame(page)
}

async function send (frame: Frame, text: string): Promise<void> {
  const before = await frame.locator('[data-role="assistant"][data-status="complete"]').count()
  await frame.locator('[aria-label="Message"]').fill(text)
  await frame.locator('[aria-label="Message"]').press('Enter')
  await frame.locator('[data-role="assistant"][data-status="complete"]').nth(before).waitFor()
}

async function shownMessages (frame: Frame): Promise<Array<[string, string]>> {
  return await frame.locator('[data-testid="message"]').evaluateAll((nodes) => nodes.map((n) => [
    n.getAttribute('data-role') ?? '',
    ((n.querySelector('[data-testid="message-body"]') as HTMLElement | null)?.innerText ?? '').trim()
  ] as [string, string]))
}

/** The element focused inside the launcher's shadow root, by its accessible label. */
async function focusedInLauncher (page: Page): Promise<string | null> {
  return await page.evaluate(() => document.querySelector('[data-salient-chat]')?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? null)
}

async function frameSession (frame: Frame): Promise<{ session_id: string, customer_id?: string | null, identity?: string }> {
  return await frame.evaluate(async () => await (await fetch('/api/session')).json())
}

function noProblems (t: Test, visitor: Visitor): void {
  t.same(visitor.problems, [], 'no console errors, page errors or CSP violations (host page or chat frame)')
  t.same(visitor.warnings.filter((w) => /postMessage/.test(w)), [], 'no message posted to a window of the wrong origin')
}

t.test('the test browser runs as shipped Chromium: partitioned storage on, third-party cookies blocked', async (t) => {
  const visitor = await newHostVisitor(t)
  const { page } = visitor
  await page.goto(`${chatUrl}/`)
  await page.evaluate(() => { localStorage.setItem('probe', 'first-party') })
  await page.goto(`${site}/`)
  const frame = await openChat(page)
  const storage = await frame.evaluate(() => {
    const seen = localStorage.getItem('probe')
    localStorage.setItem('probe', 'in the frame')
    document.cookie = 'unpartitioned=1; SameSite=None; Secure; Path=/'
    return { seen, cookies: document.cookie }
  })
  t.equal(storage.seen, null, 'the frame has storage of its own, partitioned by the top-level site')
  t.notMatch(storage.cookies, /unpartitioned=1/, 'an ordinary third-party cookie is refused')
  const cookies = await visitor.context.cookies(chatUrl)
  const embedCookie = cookies.find((c) => c.name === 'salient_session_embed')
  t.ok(embedCookie, 'the embed cookie is kept')
  t.equal(embedCookie?.partitionKey, 'http://localhost', 'partitioned by the host site')
  t.match(embedCookie, { httpOnly: true, secure: true, sameSite: 'None' })
  t.notOk(cookies.some((c) => c.name === 'unpartitioned'))
  noProblems(t, visitor)
})

t.test('open, chat, Escape, reload the host page: the same conversation; the host page cannot read it', async (t) => {
  // The host page's own attempt to call the chat's API is refused by the browser (no CORS): expected errors.
  const visitor = await newHostVisitor(t, { allow: [/Access to fetch at .* has been blocked by CORS policy/, /net::ERR_FAILED/] })
  const { page } = visitor
  await page.goto(`${site}/`)
  await launcher(page).waitFor()
  t.equal(await launcher(page).getAttribute('aria-expanded'), 'false')
  t.equal(page.frames().length, 1, 'no frame until the chat is opened')

  const frame = await openChat(page)
  t.equal(await launcher(page).getAttribute('aria-expanded'), 'true')
  await until('focus in the message box', async () => await frame.evaluate(() => document.hasFocus() && document.activeElement?.getAttribute('aria-label') === 'Message'))
  t.pass('opening puts focus in the message box')
  await send(frame, 'Do you install batteries?')
  t.same(await shownMessages(frame), [['human', 'Do you install batteries?'], ['assistant', 'Echo: Do you install batteries?']])
  const { session_id: sessionId } = await frameSession(frame)

  await page.keyboard.press('Escape')
  await panel(page).waitFor({ state: 'hidden' })
  t.equal(await focusedInLauncher(page), 'Open chat', 'Escape in the chat closes it and focus returns to the launcher')
  t.equal(await launcher(page).getAttribute('aria-expanded'), 'false')

  const fromHost = await page.evaluate(async (chat) => {
    const frameElement = document.querySelector('[data-salient-chat]')?.shadowRoot?.querySelector('iframe')
    let contentDocument: string
    try {
      contentDocument = frameElement?.contentDocument === null ? 'null' : 'readable'
    } catch {
      contentDocument = 'throws'
    }
    let api: string
    try {
      api = await (await fetch(`${chat}/api/session/messages`, { credentials: 'include' })).text()
    } catch {
      api = 'blocked'
    }
    return { contentDocument, api }
  }, chatUrl)
  t.same(fromHost, { contentDocument: 'null', api: 'blocked' }, 'the host page\'s scripts can read neither the frame nor the API')

  await page.reload()
  const again = await openChat(page)
  t.same(await shownMessages(again), [['human', 'Do you install batteries?'], ['assistant', 'Echo: Do you install batteries?']],
    'after a reload of the host page the conversation is still there')
  t.equal((await frameSession(again)).session_id, sessionId, 'in the same session')
  await send(again, 'And how long does it take?')
  const stored = await chat.db.selectFrom('messages').select(['role', 'content']).where('session_id', '=', sessionId).orderBy('created_at').execute()
  t.same(stored.map((m) => m.content), ['Do you install batteries?', 'Echo: Do you install batteries?', 'And how long does it take?', 'Echo: And how long does it take?'])

  // A message from anything but the chat's frame is ignored, even one in the right shape.
  await page.evaluate(() => { window.postMessage({ protocol: 'salient-chat/1', type: 'close' }, '*') })
  await again.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)))
  t.ok(await panel(page).isVisible(), 'a look-alike close message from the page itself does nothing')

  await screenshot(page, 'widget-on-host-page')
  await page.getByRole('button', { name: 'Close chat' }).click()
  t.equal(await focusedInLauncher(page), 'Open chat', 'the close button returns focus to the launcher too')
  noProblems(t, visitor)
})

/** Computed styles of what the visitor sees of the chat: inside the frame, and the launcher and panel outside it. */
async function chatLook (page: Page, frame: Frame) {
  const inside = await frame.evaluate(() => {
    const pick = (selector: string) => {
      const el = document.querySelector(selector)
      if (el === null) return null
      const s = getComputedStyle(el)
      return { color: s.color, fontSize: s.fontSize, fontFamily: s.fontFamily, background: s.backgroundColor, padding: s.padding, display: s.display, width: el.getBoundingClientRect().width }
    }
    return { body: pick('body'), input: pick('[aria-label="Message"]'), send: pick('[data-testid="send-button"]'), greeting: pick('[data-testid="greeting"] [data-testid="message-body"]') }
  })
  const outside = await page.evaluate(() => {
    const root = document.querySelector('[data-salient-chat]')?.shadowRoot
    const pick = (selector: string) => {
      const el = root?.querySelector(selector)
      if (el === null || el === undefined) return null
      const s = getComputedStyle(el)
      const box = el.getBoundingClientRect()
      return { color: s.color, fontSize: s.fontSize, background: s.backgroundColor, border: s.border, radius: s.borderRadius, box: [box.x, box.y, box.width, box.height] }
    }
    return { launcher: pick('.launcher'), panel: pick('.panel'), title: pick('.title'), close: pick('.close'), frame: pick('iframe') }
  })
  return { inside, outside }
}

/** Computed styles of the host page's own elements. */
async function hostLook (page: Page) {
  return await page.evaluate(() => Object.fromEntries(['body', '#headline', '#lede', '#cta', '.site-header'].map((selector) => {
    const s = getComputedStyle(document.querySelector(selector)!)
    return [selector, { color: s.color, font: s.font, background: s.backgroundColor, margin: s.margin, padding: s.padding, display: s.display }]
  })))
}

t.test('a hostile host stylesheet changes nothing in the chat; the chat changes nothing on the page', async (t) => {
  const calm = await newHostVisitor(t)
  await calm.page.goto(`${site}/`)
  const calmLook = await chatLook(calm.page, await openChat(calm.page))

  const hostile = await newHostVisitor(t)
  await hostile.page.goto(`${site}/?hostile=1`)
  t.match(await hostile.page.evaluate(() => getComputedStyle(document.getElementById('headline')!).fontSize), '40px', 'the hostile stylesheet does apply to the host page')
  const hostileLook = await chatLook(hostile.page, await openChat(hostile.page))
  t.ok(calmLook.inside.input !== null && calmLook.outside.launcher !== null, 'the styles were read')
  t.same(hostileLook.inside, calmLook.inside, 'inside the frame: the same computed styles')
  t.same(hostileLook.outside, calmLook.outside, 'the launcher and the panel: the same computed styles and boxes')
  t.not(hostileLook.outside.launcher?.color, 'rgb(255, 0, 0)')
  await screenshot(hostile.page, 'widget-hostile-host-page')

  const without = await newHostVisitor(t)
  await without.page.goto(`${site}/?widget=0`)
  const withWidget = await hostLook(calm.page)
  t.same(withWidget, await hostLook(without.page), 'the host page\'s elements look the same with the widget as without')
  const added = await calm.page.evaluate(() => ({
    sheets: document.styleSheets.length,
    adopted: document.adoptedStyleSheets.length,
    globals: Object.keys(window).filter((key) => /salient/i.test(key))
  }))
  t.same(added, { sheets: 1, adopted: 0, globals: ['SalientChat'] }, 'no stylesheet added to the page; one global, SalientChat')
  noProblems(t, calm)
  noProblems(t, hostile)
})

t.test('keyboard, small screens (the memory panel too) and data-* options; a bad option value is ignored with a warning', async (t) => {
  const phone = await newHostVisitor(t, { viewport: MOBILE })
  await phone.page.goto(`${site}/?data-open=true`)
  await panel(phone.page).waitFor({ state: 'visible' })
  const phoneFrame = await chatFrame(phone.page)
  t.same(await panel(phone.page).boundingBox(), { x: 0, y: 0, width: MOBILE.width, height: MOBILE.height }, 'data-open="true" opens it; under 480 px it fills the screen')
  await screenshot(phone.page, 'widget-phone')
  const memoryButton = phoneFrame.getByRole('button', { name: 'What we know about you' })
  t.ok(await memoryButton.isVisible(), '"What we know about you" is visible in the frame at 360 px')
  await memoryButton.click()
  const memory = phoneFrame.getByRole('dialog', { name: 'What we know about you' })
  await memory.waitFor({ state: 'visible' })
  t.equal(await memoryButton.getAttribute('aria-expanded'), 'true', 'and opens its dialog inside the frame')
  const memoryBox = await memory.boundingBox()
  t.ok(memoryBox !== null && memoryBox.x >= 0 && memoryBox.x + memoryBox.width <= MOBILE.width, 'which fits the 360 px screen')
  await screenshot(phone.page, 'widget-phone-memory')
  await phoneFrame.getByTestId('memory-close').click()
  await memory.waitFor({ state: 'hidden' })
  await phone.page.getByRole('button', { name: 'Close chat' }).click()
  await panel(phone.page).waitFor({ state: 'hidden' })
  t.equal(await focusedInLauncher(phone.page), 'Open chat')

  const left = await newHostVisitor(t)
  await left.page.goto(`${site}/?data-position=bottom-left`)
  const launcherBox = await launcher(left.page).boundingBox()
  t.ok(launcherBox !== null && launcherBox.x < 100, 'data-position="bottom-left" puts the launcher on the left')
  t.notOk(await panel(left.page).isVisible(), 'closed by default')
  // By keyboard alone: Tab from the page's own controls to the launcher, Enter opens, Escape closes.
  await left.page.locator('#cta').focus()
  await left.page.keyboard.press('Tab')
  t.equal(await focusedInLauncher(left.page), 'Open chat', 'Tab reaches the launcher')
  await left.page.keyboard.press('Enter')
  const frame = await chatFrame(left.page)
  const panelBox = await panel(left.page).boundingBox()
  t.ok(panelBox !== null && panelBox.x < 100 && panelBox.width < DESKTOP.width / 2, 'the panel opens beside it, not full-screen')
  await until('focus in the message box', async () => await frame.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Message'))
  await left.page.keyboard.type('Typed without a mouse')
  await left.page.keyboard.press('Enter')
  await frame.locator('[data-role="assistant"][data-status="complete"]').waitFor()
  await left.page.keyboard.press('Escape')
  await panel(left.page).waitFor({ state: 'hidden' })
  t.equal(await focusedInLauncher(left.page), 'Open chat')

  const typo = await newHostVisitor(t)
  await typo.page.goto(`${site}/?data-position=middle&data-open=maybe&data-identity-token=not-a-jwt`)
  await launcher(typo.page).waitFor()
  t.same(typo.warnings.filter((w) => w.startsWith('Salient chat:')), [
    'Salient chat: data-identity-token is not a JWT; the visitor stays anonymous',
    'Salient chat: data-position="middle" is not one of bottom-right, bottom-left; using bottom-right',
    'Salient chat: data-open="maybe" is not one of true, false; using false'
  ], 'one warning per bad value')
  const typoBox = await launcher(typo.page).boundingBox()
  t.ok(typoBox !== null && typoBox.x > DESKTOP.width - 100, 'the defaults stand: bottom right')
  t.notOk(await panel(typo.page).isVisible(), 'and closed')
  noProblems(t, phone)
  noProblems(t, left)
  noProblems(t, typo)
})

t.test('a site not in embed.allowed_origins gets no chat, and its framing of /embed is refused', async (t) => {
  const visitor = await newHostVisitor(t, { allow: [/frame-ancestors/, /status of 403/] })
  const { page } = visitor
  const embedRequests: string[] = []
  page.on('request', (request) => { if (request.url().includes('/embed')) embedRequests.push(request.url()) })
  await page.goto(`${otherSite}/`)
  await until('the launcher\'s warning', async () => visitor.warnings.find((w) => w.startsWith('Salient chat:')))
  await page.waitForLoadState('load')
  t.same(visitor.warnings.filter((w) => w.startsWith('Salient chat:')),
    [`Salient chat: ${otherSite} is not in embed.allowed_origins on ${chatUrl}; the chat is not shown`], 'one console warning')
  t.equal(await page.locator('[data-salient-chat]').count(), 0, 'no launcher')
  t.equal(await page.evaluate(() => 'SalientChat' in window), false, 'no API')
  t.same(embedRequests, [], 'and no request for the chat')

  // Framing /embed directly, claiming to be the allowed site: the server refuses (the Referer says otherwise) ...
  const claimed = encodeURIComponent(`${chatUrl}/embed?host=${encodeURIComponent(site)}`)
  const refused = page.waitForResponse((res) => res.url().includes('/embed?'))
  await page.goto(`${otherSite}/?widget=0&frame=${claimed}`)
  t.equal((await refused).status(), 403, 'the server refuses a frame whose Referer is not the allowed site')
  // ... and with the Referer withheld, the browser refuses to show it (CSP frame-ancestors).
  const blocked = new Promise<string>((resolve) => {
    page.on('console', (message) => { if (/frame-ancestors/.test(message.text())) resolve(message.text()) })
  })
  await page.goto(`${otherSite}/?widget=0&referrer=none&frame=${claimed}`)
  t.match(await blocked, /frame-ancestors/, 'the browser refuses the framing')
  const composers = await Promise.all(page.frames().map(async (f) => await f.locator('[aria-label="Message"]').count().catch(() => 0)))
  t.same(composers.filter((n) => n > 0), [], 'no chat is shown')
  t.equal(await page.evaluate(() => document.cookie), '', 'the host page got no cookie of the chat\'s')
  noProblems(t, visitor)
})

async function hostToken (sub: string, claims: Record<string, string> = {}): Promise<string> {
  return await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('5m')
    .sign(new TextEncoder().encode(IDENTITY_SECRET))
}

t.test('identity from the host: data-identity-token links the visitor; identify(token) links a later one; another person starts afresh', async (t) => {
  // The chat learns that Dana's browser now has another person by the 409 of identify, which Chromium logs.
  const dana = await newHostVisitor(t, { allow: [/status of 409/] })
  const identifyBodies: unknown[] = []
  dana.page.on('request', (request) => {
    if (request.url() === `${chatUrl}/api/session/identify` && request.method() === 'POST') identifyBodies.push(request.postDataJSON())
  })
  const token = await hostToken('customer-4711', { email: 'dana@example.com', name: 'Dana Reyes' })
  await dana.page.goto(`${site}/?data-identity-token=${encodeURIComponent(token)}`)
  const frame = await openChat(dana.page)
  t.same(identifyBodies, [{ token }], 'the frame sends the tag\'s token, once, before the conversation loads')
  const linked = await frameSession(frame)
  t.equal(linked.identity, 'verified', 'the session is linked')
  const customer = await chat.db.selectFrom('customers').select(['id', 'external_id']).where('id', '=', linked.customer_id!).executeTakeFirstOrThrow()
  t.equal(customer.external_id, 'customer-4711', 'to the host site\'s user')
  await send(frame, 'Please call me about the home battery')

  // The same person in another browser, anonymous at first; the site calls identify() after its login.
  const later = await newHostVisitor(t)
  await later.page.goto(`${site}/`)
  const anonymous = await openChat(later.page)
  t.equal((await frameSession(anonymous)).identity, 'anonymous')
  t.equal(await anonymous.locator('[data-testid="message"]').count(), 0)
  await later.page.evaluate((value) => { (window as HostWindow).SalientChat?.identify(value) }, await hostToken('customer-4711'))
  const relinked = await until('the frame reloaded with the identity', async () => {
    const f = later.page.frames().find((candidate) => candidate.url().startsWith(`${chatUrl}/embed?`))
    if (f === undefined || await f.locator('[data-testid="message"]').count() === 0) return undefined
    return f
  })
  t.same(await shownMessages(relinked), [['human', 'Please call me about the home battery'], ['assistant', 'Echo: Please call me about the home battery']],
    'identify(token) links the visitor: the customer\'s conversation from the other browser is there')
  t.equal((await frameSession(relinked)).customer_id, customer.id)

  // Someone else logs in on Dana's browser: the chat must not show Dana's conversation to them.
  await dana.page.goto(`${site}/?data-identity-token=${encodeURIComponent(await hostToken('customer-9000'))}`)
  const other = await openChat(dana.page)
  await until('a fresh session for the other person', async () => other.url().includes('fresh=1') || dana.page.frames().some((f) => f.url().includes('fresh=1')))
  const otherFrame = await chatFrame(dana.page)
  const otherSession = await frameSession(otherFrame)
  t.not(otherSession.customer_id, customer.id, 'another person gets a session of their own')
  t.equal(otherSession.identity, 'verified')
  t.equal(await otherFrame.locator('[data-testid="message"]').count(), 0, 'and none of Dana\'s messages')

  await later.page.evaluate(() => { (window as HostWindow).SalientChat?.identify('not a token') })
  t.ok(later.warnings.includes('Salient chat: identify() needs a JWT; ignored'), 'a malformed token is refused in the page')
  noProblems(t, dana)
  noProblems(t, later)
})
