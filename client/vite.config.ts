// Builds the chat client from client/ into client/dist (served by the Fastify app at `/`).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
// `vite dev` talks to a locally running server; the built client is always same-origin.
const apiTarget = process.env.VITE_API_TARGET ?? 'http://127.0.0.1:8000'

/** Where a page takes the chat's markup: `<!-- chat-body … -->`. */
const CHAT_BODY = /<!-- chat-body\b[^>]*-->/
const chatBodyFile = `${root}partials/chat-body.html`

/**
 * The chat's markup is written once, in partials/chat-body.html: index.html and embed.html differ only in their heads
 * (the embed's class, its entry script). Put in before Vite reads the pages, so it is processed like their own markup.
 */
function chatBody (): Plugin {
  return {
    name: 'salient-chat-body',
    transformIndexHtml: {
      order: 'pre',
      handler (html, { filename }) {
        if (!CHAT_BODY.test(html)) throw new Error(`${filename} has no <!-- chat-body --> placeholder`)
        return html.replace(CHAT_BODY, () => readFileSync(chatBodyFile, 'utf8'))
      }
    }
  }
}

export default defineConfig({
  root,
  plugins: [chatBody()],
  base: '/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Never inline assets as data: URLs or inline code; the CSP only allows files from 'self'.
    assetsInlineLimit: 0,
    // Every supported browser has modulepreload; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // The chat client, and the same client in its compact embed mode (/embed, framed by the launcher /widget.js).
    rollupOptions: { input: { index: `${root}index.html`, embed: `${root}embed.html` } }
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/chat': apiTarget,
      '/events': apiTarget,
      '/health': apiTarget
    }
  }
})
