import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { type Plugin, defineConfig } from 'vite';

/**
 * Two faces in one build: the citizen's pages (index.html, served at `/`) and the operator's
 * workspace (ops/index.html, at `/ops/`). `--mode cloud` builds without the local sign-in
 * (`__LOCAL_SIGN_IN__` is false, so that code is dropped from the bundle). `npm run dev:web` serves
 * the sources with hot reload and forwards the API to a running `npm start` (API_URL).
 */
const root = import.meta.dirname;
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

/** The dev server's history fallback for two apps: `/ops/…` → ops/index.html, any other page → index.html. */
function twoFacesFallback(): Plugin {
  return {
    name: 'two-faces-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url ?? '/').split('?')[0] as string;
        const page = !path.includes('.') && !path.startsWith('/@') && !path.startsWith('/v1/') && !path.startsWith('/_local/') && !path.startsWith('/node_modules/');
        if (page) req.url = path === '/ops' || path.startsWith('/ops/') ? '/ops/index.html' : '/index.html';
        next();
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  root,
  appType: 'mpa',
  plugins: [preact(), twoFacesFallback()],
  define: { __LOCAL_SIGN_IN__: JSON.stringify(mode !== 'cloud') },
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // .vite/manifest.json: what each page loads first (npm run bench reads it); never served or deployed.
    manifest: true,
    rollupOptions: { input: { citizen: resolve(root, 'index.html'), ops: resolve(root, 'ops/index.html') } },
  },
  server: { proxy: { '/v1': api, '/_local': api, '/health': api } },
}));
