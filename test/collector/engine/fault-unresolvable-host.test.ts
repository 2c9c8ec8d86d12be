import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';

describe('fault: a host name that does not resolve', () => {
  it('is unreachable with the resolver’s reason, retried with backoff, no crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-nxdomain-'));
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const before = activeResources();
    const engine = new CollectorEngine({ backoff: { initialMs: 200, random: () => 0 } });
    const watch = new EngineWatch(engine);
    engine.addHost({
      id: 'nowhere',
      ssh: {
        // .invalid never resolves (RFC 6761).
        host: 'setmov-no-such-host.invalid',
        username: 'root',
        auth: { method: 'password', password: 'not-used' },
        knownHostsFile: knownHosts,
        connectTimeoutMs: 3_000,
      },
    });
    const first = await watch.waitFor('host-status', (e) => e.status === 'unreachable', 10_000);
    // ENOTFOUND with a resolver, EAI_AGAIN without one, or the lookup's own timeout.
    expect(first.event.reason).toMatch(
      /setmov-no-such-host\.invalid.*(ENOTFOUND|EAI_AGAIN|dns timed out)/,
    );
    expect(first.event.retryAt).not.toBeNull();
    await watch.waitFor(
      'host-status',
      (e) => e.status === 'unreachable' && e.failedAttempts >= 2,
      10_000,
    );
    const [a, b] = watch.of('host-status').filter((e) => e.status === 'unreachable');
    // Backoff doubles: the second wait is longer than the first.
    expect((b?.retryAt ?? 0) - (b?.ts ?? 0)).toBeGreaterThan((a?.retryAt ?? 0) - (a?.ts ?? 0));

    await engine.stop();
    watch.dispose();
    expect(await settledLeaks(before)).toEqual({});
    expect(watch.unhandled).toEqual([]);
  });
});
