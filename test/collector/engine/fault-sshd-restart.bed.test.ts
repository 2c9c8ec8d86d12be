import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, onTestFailed } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import { describeBed } from '../../helpers/bed';
import { bedSshTarget } from './bed-targets';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';

const sshdScript = fileURLToPath(new URL('../../bed/sshd.sh', import.meta.url));

/**
 * The sshd processes serving this process's connections to port `port`: found by matching our
 * sockets' local ports with the server side's peers, so no one else's session is touched.
 */
function ourSshdSessions(port: number): number[] {
  const lines = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' }).split(
    '\n',
  );
  const ourPorts = new Set<string>();
  for (const line of lines) {
    const [, , local, peer, users] = line.trim().split(/\s+/);
    if (peer?.endsWith(`:${port}`) && users?.includes(`pid=${process.pid},`)) {
      ourPorts.add(local?.split(':').at(-1) ?? '');
    }
  }
  const pids = new Set<number>();
  for (const line of lines) {
    const [, , local, peer, users] = line.trim().split(/\s+/);
    if (local?.endsWith(`:${port}`) && ourPorts.has(peer?.split(':').at(-1) ?? '-')) {
      for (const m of users?.matchAll(/pid=(\d+)/g) ?? []) pids.add(Number(m[1]));
    }
  }
  return [...pids];
}

describeBed('fault: sshd killed and restarted under an SSH session', (bed) => {
  let stopped = false;
  afterAll(() => {
    if (stopped) execFileSync('bash', [sshdScript, 'start'], { stdio: 'ignore' });
  });

  it('goes unreachable (with the reason), retries with backoff, and comes back up when sshd does', async () => {
    const before = activeResources();
    const engine = new CollectorEngine();
    const watch = new EngineWatch(engine);
    onTestFailed(() => {
      for (const e of watch.of('host-status'))
        console.log(e.ts, e.status, e.reason, e.failedAttempts);
    });
    const target = { ...bedSshTarget(bed), pollIntervalMs: 1000 };
    engine.addHost(target);
    await watch.waitFor('host-status', (e) => e.status === 'up', 30_000);
    await watch.waitFor('vm-sample', () => true, 10_000);

    const sessions = ourSshdSessions(bed.ssh.port);
    expect(sessions.length).toBeGreaterThan(0);
    const cut = Date.now();
    stopped = true;
    execFileSync('bash', [sshdScript, 'stop'], { stdio: 'ignore' });
    for (const pid of sessions) process.kill(pid, 'SIGKILL');

    const lost = await watch.waitFor('host-status', (e) => e.status === 'unreachable', 10_000, cut);
    console.log(`unreachable after ${lost.at - cut} ms: ${lost.event.reason}`);
    expect(lost.event.reason).toMatch(/unreachable|closed|ECONNRESET/i);
    expect(lost.event.retryAt).not.toBeNull();
    // While sshd is down, attempts fail (refused) and are spaced out: 1 s, 2 s, ...
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const attempts = watch
      .of('host-status')
      .filter((e) => e.ts >= lost.at && e.status === 'unreachable');
    for (const e of attempts.slice(1)) expect(e.reason).toMatch(/ECONNREFUSED/);
    const gaps = attempts
      .slice(1)
      .map(
        (e, i) => (e.retryAt ?? 0) - e.ts - ((attempts[i]?.retryAt ?? 0) - (attempts[i]?.ts ?? 0)),
      );
    for (const gap of gaps) expect(gap).toBeGreaterThan(0);

    execFileSync('bash', [sshdScript, 'start'], { stdio: 'ignore' });
    stopped = false;
    const back = Date.now();
    const up = await watch.waitFor('host-status', (e) => e.status === 'up', 30_000, lost.at);
    console.log(
      `up again ${up.at - back} ms after sshd was back, after ${attempts.length} failures`,
    );
    const resumed = await watch.waitFor('vm-sample', () => true, 10_000, up.at);
    expect(resumed.event.sample.state).toBe('running');
    expect(await watch.waitFor('host-sample', () => true, 10_000, up.at)).toBeTruthy();

    await engine.stop();
    watch.dispose();
    expect(await settledLeaks(before, 5_000)).toEqual({});
    expect(watch.unhandled).toEqual([]);
  }, 120_000);
});
