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

// Main is ESM (package.json "type": "module"; Electron 38 loads it). The preload must
// be CommonJS: a sandboxed preload is not loaded as an ES module. Dependencies stay
// external in main (electron-vite's default) and are bundled into the preload by its
// preset, since a sandboxed preload can require nothing but electron's own modules.
export default defineConfig({
  main: {},
  preload: {
    build: {
      lib: { entry: 'src/preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    plugins: [react(), cspMetaTag()],
  },
});
