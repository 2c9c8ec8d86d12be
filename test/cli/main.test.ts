import { describe, expect, it } from 'vitest';
import { version } from '../../src/cli/main';
import { runCli } from '../helpers/run-cli';

describe('setmov CLI', () => {
  it('prints the package version', async () => {
    const { code, out } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(out.trim()).toBe(version);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints help listing the commands', async () => {
    const { code, out } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: setmov <command>');
  });

  it('rejects an unknown command with one line and exit 2', async () => {
    const { code, err } = await runCli(['frobnicate']);
    expect(code).toBe(2);
    expect(err).toBe("setmov: unknown command 'frobnicate' (see setmov --help)\n");
  });

  it('rejects an unknown flag with one line and exit 2', async () => {
    const { code, err } = await runCli(['--bogus']);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('--bogus');
  });
});

describe('setmov CLI errors', () => {
  it('keeps a multi-line argument error to its first line', async () => {
    const { code, err } = await runCli(['serve', '--port', '-1']);
    expect(code).toBe(2);
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toContain('--port');
  });
});
