import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type BackendRun } from './backend-harness';

const PASSWORD = 'pw-Zq81-never-shown';
const PASSPHRASE = 'pp-Xk37-never-shown';

let run: BackendRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

/** Every file under dir, as text (hosts.json, known_hosts, the SQLite file and its WAL). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'latin1'));
}

describe('secrets given to the backend', () => {
  it('reach the secret store and no reply, event, log line or file', async () => {
    run = await startBackend();
    // A closed port: the hosts fail fast, and their failures are logged and published.
    const ssh = { host: '127.0.0.1', port: 1, username: 'admin' };
    expect(
      await run.request('hosts.add', {
        name: 'by-password',
        ssh: { ...ssh, auth: { method: 'password', password: PASSWORD } },
        pollIntervalSec: 1,
      }),
    ).toHaveProperty('ok');
    expect(
      await run.request('hosts.add', {
        name: 'by-key',
        ssh: {
          ...ssh,
          auth: { method: 'key', identityFile: '/nonexistent/id_ed25519', passphrase: PASSPHRASE },
        },
        pollIntervalSec: 1,
      }),
    ).toHaveProperty('ok');
    // A bad request that carries a secret: zod's message names the field, not the value.
    await run.request('hosts.add', {
      name: 'by-password',
      ssh: { ...ssh, port: 'x', auth: { method: 'password', password: PASSWORD } },
    });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const name of ['hosts.list', 'inventory']) await run.request(name);
    await run.request('hosts.test', { id: await run.idOf('by-password') });
    await run.request('hosts.test', { id: await run.idOf('by-key') });

    expect([...run.secrets.values.values()].sort()).toEqual([PASSPHRASE, PASSWORD].sort());
    await run.request('hosts.remove', { id: await run.idOf('by-password') });
    expect([...run.secrets.values.values()]).toEqual([PASSPHRASE]);
    const backend = run;
    await backend.backend.close();
    const said = [
      ...backend.replies.map((r) => JSON.stringify(r)),
      ...backend.events.map((e) => JSON.stringify(e)),
      ...backend.logLines,
      ...filesUnder(backend.dir),
    ];
    expect(backend.logLines.length).toBeGreaterThan(0);
    expect(said.join('\n')).toContain('by-password');
    for (const text of said) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(PASSPHRASE);
    }
  });

  it('are told of in the host view as kept or not, never shown', async () => {
    run = await startBackend();
    const ssh = { host: '127.0.0.1', port: 1, username: 'admin' };
    const key = { method: 'key', identityFile: '/nonexistent/id_ed25519' };
    await run.request('hosts.add', {
      name: 'with-passphrase',
      ssh: { ...ssh, auth: { ...key, passphrase: PASSPHRASE } },
    });
    await run.request('hosts.add', { name: 'without', ssh: { ...ssh, auth: key } });
    const list = (await run.request('hosts.list')) as {
      ok?: { name: string; hasSecret: boolean }[];
    };
    const added = list.ok?.filter(({ name }) => name === 'with-passphrase' || name === 'without');
    expect(added?.map(({ name, hasSecret }) => ({ name, hasSecret }))).toEqual([
      { name: 'with-passphrase', hasSecret: true },
      { name: 'without', hasSecret: false },
    ]);
    expect(JSON.stringify(list)).not.toContain(PASSPHRASE);
  });
});
