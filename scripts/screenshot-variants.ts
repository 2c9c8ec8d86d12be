import { join } from 'node:path';
import { projectRoot } from '../test/e2e/ensure-build';

/** Where the screenshot scripts write, and the variants each view is taken in. */
export const outDir = join(projectRoot, 'out', 'screenshots', 'views');
export const sizes = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
export const themes = ['light', 'dark'] as const;
export const languages = ['en', 'ko'] as const;
