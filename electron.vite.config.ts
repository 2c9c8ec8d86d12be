import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/shared/csp';

/**
 * Puts the CSP into the built index.html, so the page is locked down however it is
 * loaded (file: in Electron, where no response header exists). Build only: the dev
 * server's React refresh preamble is inline script, and main sends a dev CSP header.
 */
function cspMetaTag(): Plugin {
  return {
    name: 'setmov-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: contentSecurityPolicy({ delivery: 'meta' }),
        },
        injectTo: 'head-prepend',
      },
    ],
  };
}

// Main is ESM (package.json "type": "module"; Electron 38 loads it) and keeps its
// dependencies external (electron-vite 6 does that by default; its
// externalizeDepsPlugin is deprecated). The preload must be CommonJS, since a sandboxed
// preload is not loaded as an ES module, and self-contained, since it can require
// nothing but electron's own modules: hence externalizeDeps off.
export default defineConfig({
  main: {},
  preload: {
    build: {
      lib: { entry: 'src/preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
      externalizeDeps: false,
    },
  },
  renderer: {
    plugins: [react(), cspMetaTag()],
    // electron-vite leaves bundles unminified; the console's first render on a busy host
    // is mostly parsing its script, so the renderer is minified.
    build: { minify: true },
  },
});
