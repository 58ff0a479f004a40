// Vite builds the portal into dist/: index.html plus content-hashed files under assets/,
// which the node serves at "/" and "/assets/..." (src/api/portal.h). No inline script or
// style (the node's CSP is default-src 'self'), no CDN, no external font.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0, // never data: URLs for scripts or styles
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npm run dev`: the API is proxied to a local node (TL_NODE, default node1 of net up).
    proxy: Object.fromEntries(
      ['/v1', '/health'].map((p) => [p, process.env.TL_NODE ?? 'http://127.0.0.1:7711']),
    ),
  },
});
