// Real headless Chromium (Debian's /usr/bin/chromium, never a downloaded one) driven by playwright-core, for the
// browser tests: one browser per test file, a fresh context (cookie jar) per visitor, console problems collected,
// screenshots saved under test-artifacts/ (git-ignored).
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

interface Teardown { teardown: (fn: () => unknown) => void }

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts')

/** The policy the server is to send (SPEC: @fastify/helmet). Tests enforce it themselves so they hold with or without. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"

export const DESKTOP = { width: 1280, height: 800 }
export const MOBILE = { width: 360, height: 740 }

/** Playwright's own default (30 s) is longer than a whole test file should take. */
const TIMEOUT_MS = 10_000

/**
 * playwright-core 1.65's own --disable-features list without ThirdPartyStoragePartitioning: Playwright turns storage
 * partitioning off, shipped browsers run with it on. Chromium reads only the last --disable-features switch, so this
 * one, appended after Playwright's, stands. test/browser/widget.test.ts checks that partitioning is on.
 */
const PLAYWRIGHT_DISABLED_FEATURES_BUT_PARTITIONING = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin', 'OptimizationHints', 'NetworkTimeServiceQuerying',
  'AimEnabled', 'PreconnectToSearch'
]

export interface LaunchOptions {
  /** Third-party storage partitioning on, as in shipped Chromium (Playwright switches it off). */
  storagePartitioning?: boolean
}

export async function launchBrowser (t: Teardown, options: LaunchOptions = {}): Promise<Browser> {
  const partitioning = options.storagePartitioning === true
    ? [`--disable-features=${PLAYWRIGHT_DISABLED_FEATURES_BUT_PARTITIONING.join(',')}`]
    : []
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', ...partitioning]
  })
  t.teardown(() => browser.close())
  return browser
}

export interface VisitorPage {
  context: BrowserContext
  page: Page
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[]
  /** Opens the chat (GET /) and waits until the history has loaded and the composer is usable. */
  open: () => Promise<void>
}

export interface VisitorOptions {
  viewport?: { width: number, height: number }
  /** Add the CSP header to the page when the server does not send one (default true). */
  enforceCsp?: boolean
  /** Console errors that are expected (a test provoking a failure): matched ones are not problems. */
  allowConsole?: RegExp[]
  isMobile?: boolean
}

/** A new visitor: a fresh browser context (its own cookies) with one page on the app at `baseUrl`. */
export async function newVisitor (t: Teardown, browser: Browser, baseUrl: string, options: VisitorOptions = {}): Promise<VisitorPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: options.viewport ?? DESKTOP,
    deviceScaleFactor: 1,
    isMobile: options.isMobile ?? false,
    hasTouch: options.isMobile ?? false,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC'
  })
  // Registered after the app's own teardown, so it runs first (tap runs teardowns last-in first-out) and the
  // server does not wait on the browser's keep-alive connections.
  t.teardown(() => context.close())
  context.setDefaultTimeout(TIMEOUT_MS)

  if (options.enforceCsp ?? true) {
    await context.route((url) => url.pathname === '/', async (route) => {
      const response = await route.fetch()
      const headers = response.headers()
      headers['content-security-policy'] ??= CSP
      await route.fulfill({ response, headers })
    })
  }

  const page = await context.newPage()
  const problems: string[] = []
  const allowed = options.allowConsole ?? []
  page.on('console', (message) => {
    if (message.type() !== 'error' && !/Content.Security.Policy/i.test(message.text())) return
    const text = `console.${message.type()}: ${message.text()}`
    if (!allowed.some((re) => re.test(text))) problems.push(text)
  })
  page.on('pageerror', (err) => { problems.push(`pageerror: ${err.message}`) })
  page.on('crash', () => { problems.push('page crashed') })

  return {
    context,
    page,
    problems,
    async open () {
      await page.goto('/')
      await page.locator('[data-testid="composer-input"]:not([disabled])').waitFor()
    }
  }
}

/** Saves a PNG of the page (or of one element) as test-artifacts/<name>.png and returns its path. */
export async function screenshot (page: Page, name: string, selector?: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name}.png`)
  if (selector === undefined) await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' })
  else await page.locator(selector).screenshot({ path: file, animations: 'disabled', caret: 'hide' })
  return file
}

/** Polls a Node-side condition (a database row, say) until it holds; throws with `what` after `timeoutMs`. */
export async function until<T> (what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let delay = 10
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 100)
  }
}
