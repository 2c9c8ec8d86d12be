#!/usr/bin/env node
// The `setmov` command runs the TypeScript sources under plain Node through tsx,
// so the CLI needs neither Electron nor a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
