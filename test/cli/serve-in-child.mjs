// `setmov serve` in a child process of its own, serving a stand-in renderer build (the
// real one needs `npm run build`), stopped by SIGINT as the CLI is.
import { register } from 'tsx/esm/api';

register();
const { createServeCommand } = await import('../../src/cli/commands/serve.ts');
const { makeRendererDir } = await import('../server/test-server.ts');
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
const io = { stdout: process.stdout, stderr: process.stderr, signal: abort.signal };
process.exitCode = await createServeCommand(makeRendererDir()).run(process.argv.slice(2), io);
