import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app, built into dist/apps/web, which the API serves at `/`. In development
 * (`npm run dev:web`) Vite serves it and forwards /api and /oidc to the API on port 3000.
 */
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    // Scripts as files only: the Content Security Policy allows no inline script.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/oidc': 'http://127.0.0.1:3000',
    },
  },
});
