import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';

async function run(args: string[], signal = new AbortController().signal) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  const code = await main(['serve', ...args], { stdout, stderr, signal });
  return { code, out, err };
}

describe('setmov serve arguments', () => {
  it('refuses a bad port or a wildcard address with one line and exit 2', async () => {
    for (const args of [
      ['--port', 'http'],
      ['--port', '70000'],
      ['--port=-1'],
      ['--host', '0.0.0.0'],
      ['--host', '::'],
      ['--bogus'],
    ]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.err).toMatch(/^setmov: /);
    }
  });

  it('prints its usage', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: setmov serve [--port N] [--host ADDRESS]');
  });
});
