// Builds the chat client from client/ into client/dist (served by the Fastify app at `/`).
import path from 'node:path'
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
    // Three pages, one build: the chat (index.html), the same client in its compact embed mode (embed.html, served at
    // /embed and framed by the launcher /widget.js), and the operator console (admin.html, served at /admin/*).
    rollupOptions: {
      input: { index: path.join(root, 'index.html'), embed: path.join(root, 'embed.html'), admin: path.join(root, 'admin.html') }
    }
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
