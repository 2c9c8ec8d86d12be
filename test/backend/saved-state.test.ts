import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHosts } from '../../src/collector/hosts-config/hosts-config';
import { startBackend, type BackendRun } from './backend-harness';

let run: BackendRun;
beforeEach(async () => {
  run = await startBackend();
});
afterEach(async () => {
  await run.close();
});

const hostsPath = () => join(run.dir, 'config', 'hosts.json');
const sshHost = (name: string, identityFile: string) => ({
  name,
  ssh: {
    host: '127.0.0.1',
    port: 1,
    username: 'u',
    auth: { method: 'key', identityFile },
  },
});

describe('what requests save always loads again', () => {
  it('two adds of one name at once: one is saved, the other told so, the file loads', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => run.request('hosts.add', { name: 'dup' })),
    );
    expect(replies.filter((r) => 'ok' in r)).toHaveLength(1);
    for (const reply of replies.filter((r) => 'error' in r)) {
      expect(reply).toMatchObject({
        error: { code: 'failed', message: "a host named 'dup' exists already" },
      });
    }
    const names = (await loadHosts(hostsPath())).map((h) => h.name);
    expect(names.filter((n) => n === 'dup')).toHaveLength(1);
    // No temporary file is left behind by writes that overlapped.
    expect(readdirSync(join(run.dir, 'config')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('many different adds at once are all saved', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `h${i}`);
    const replies = await Promise.all(names.map((name) => run.request('hosts.add', { name })));
    expect(replies.every((r) => 'ok' in r)).toBe(true);
    const saved = (await loadHosts(hostsPath())).map((h) => h.name);
    expect(saved).toEqual(expect.arrayContaining(names));
  });

  it('refuses an identity file path of spaces, as the loader would', async () => {
    expect(await run.request('hosts.add', sshHost('k', '   '))).toMatchObject({
      error: { code: 'bad-request' },
    });
    expect(await run.request('hosts.add', sshHost('k', 'relative/key'))).toMatchObject({
      error: { code: 'bad-request' },
    });
  });

  it('expands ~/ in an identity file and saves the path the loader takes', async () => {
    expect(await run.request('hosts.add', sshHost('k', '~/.ssh/id_ed25519'))).toMatchObject({
      ok: { ssh: { identityFile: join(homedir(), '.ssh', 'id_ed25519') } },
    });
    const [, saved] = await loadHosts(hostsPath());
    expect(saved?.ssh?.identityFile).toBe(join(homedir(), '.ssh', 'id_ed25519'));
  });

  it('refuses safe minimums under their floors from a settings request', async () => {
    for (const analysis of [{ minMemoryBytes: 1 }, { minHistoryMs: 0 }, { minVcpus: 0 }]) {
      expect(await run.request('settings.set', { analysis })).toMatchObject({
        error: { code: 'failed' },
      });
    }
    expect(await run.request('settings.get')).toMatchObject({ ok: { analysis: {} } });
  });
});
