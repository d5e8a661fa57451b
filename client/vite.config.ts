// Builds the chat client from client/ into client/dist (served by the Fastify app at `/`).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
// `vite dev` talks to a locally running server; the built client is always same-origin.
const apiTarget = process.env.VITE_API_TARGET ?? 'http://127.0.0.1:8000'

export default defineConfig({
  root,
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
