// Builds the operator console, client/admin.html (+ client/admin/), into client/dist beside the chat: served at
// /admin/* by src/routes/admin/console-page.ts. A build of its own so that the chat's bundle is never split into
// chunks shared with the console (the chat's pages load exactly what they did before the console existed).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false, // the chat's build is already there
    assetsDir: 'assets',
    // The CSP allows only files from 'self': no data: URLs, no inline code.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: { input: { admin: `${root}admin.html` } }
  }
})
