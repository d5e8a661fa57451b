// Builds the launcher, client/src/widget/widget.ts, into client/dist/widget.js: one small classic script in an IIFE
// (nothing leaks into the host page's globals), served at the stable address /widget.js by src/routes/embed.ts.
// A second build beside client/vite.config.ts because a library build (one file, IIFE) cannot share the app's.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false, // the app's build is already there
    minify: true,
    sourcemap: false,
    target: 'es2020',
    lib: {
      entry: 'src/widget/widget.ts',
      formats: ['iife'],
      name: 'SalientChatWidget',
      fileName: () => 'widget.js'
    }
  }
})
