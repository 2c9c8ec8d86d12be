import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../src/agent/config-file';
import { parseServeArgs } from '../../src/cli/commands/serve-args';
import { loadServeConfig } from '../../src/cli/commands/serve-config';
import { UsageError } from '../../src/cli/usage-error';
import { runCli } from '../helpers/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'setmov-serve-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: unknown): string {
  const path = join(dir, `serve-${++files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The problems a file's loading names, one line each. */
async function problems(path: string): Promise<readonly string[]> {
  try {
    await loadServeConfig(path);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems;
    throw error;
  }
  throw new Error(`${path} loaded`);
}

describe('setmov serve --config', () => {
  it('names the central database as --central does, with its pace in ms', async () => {
    const path = file({
      central: {
        url: 'mysql://reader@10.0.0.1:4306,10.0.0.2:4307/setmov',
        tlsCaFile: '/etc/setmov/ca.pem',
        refreshSec: 5,
        staleAfterSec: 120,
      },
    });
    const fromFile = await loadServeConfig(path);
    const fromFlags = parseServeArgs([
      '--central',
      'mysql://reader@10.0.0.1:4306,10.0.0.2:4307/setmov',
      '--central-refresh',
      '5',
      '--stale-after',
      '120',
      '--central-tls-ca',
      '/etc/setmov/ca.pem',
    ]);
    expect(fromFile.central).toEqual(fromFlags.central);
    // Defaults as the flags', and a file without a central database reads none.
    expect(
      (await loadServeConfig(file({ central: { url: 'mysql://r@db/setmov' } }))).central,
    ).toEqual(parseServeArgs(['--central', 'mysql://r@db/setmov']).central);
    expect(await loadServeConfig(file({}))).toEqual({});
  });

  it('names each problem by its field, and says where a password goes instead', async () => {
    const path = file({
      central: {
        url: 'mysql://r@db/setmov',
        password: 'x',
        refreshSec: 30,
        staleAfterSec: 10,
        tlsCaFile: 'ca.pem',
      },
      listen: 1,
    });
    const lines = await problems(path);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^${path}: central\\.password: passwords do not go in this file: set SETMOV_CENTRAL_PASSWORD`,
          ),
        ),
        `${path}: central.tlsCaFile: expected an absolute path`,
        `${path}: listen: unknown field`,
      ]),
    );
    expect(lines.join('\n')).not.toContain("'x'");
    expect(
      await problems(
        file({ central: { url: 'mysql://r@db/s', refreshSec: 30, staleAfterSec: 10 } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /central\.staleAfterSec: staleAfterSec must be longer than refreshSec$/,
      ),
    ]);
    expect(await problems(file({ central: { url: 'mysql://r:pw@db/s' } }))).toEqual([
      expect.stringMatching(/central\.url: .*password/),
    ]);
    expect(await problems(file('{"central": '))).toEqual([
      expect.stringMatching(/: not valid JSON/),
    ]);
    expect(await problems(join(dir, 'none.json'))).toEqual([
      expect.stringMatching(/none\.json: cannot be read \(ENOENT\)$/),
    ]);
  });

  it('refuses the file and --central together, and exits 2 with the lines on stderr', async () => {
    expect(() =>
      parseServeArgs(['--config', '/etc/setmov/serve.json', '--central', 'mysql://r@db/s']),
    ).toThrow(UsageError);
    const path = file({ central: { url: 7 } });
    const { code, err } = await runCli(['serve', '--port', '0', '--config', path]);
    expect(code).toBe(2);
    expect(err).toBe(`setmov serve: ${path}: central.url: expected string, got number\n`);
  });
});
