import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/agent-process';
import { Agent } from '../../src/agent/agent';
import { loadAgentConfig } from '../../src/agent/agent-config';
import { agentStatusPath, readAgentStatus } from '../../src/agent/agent-status-file';

const root = mkdtempSync(join(tmpdir(), 'setmov-agent-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * The agent in this process, watching this machine's /proc (with or without a libvirt),
 * syncing to a port where nothing listens (port 1: refused at once, no MariaDB reached).
 */
describe('the agent, reloaded and closed', () => {
  const stateDir = join(root, 'state');
  const configPath = join(root, 'agent.json');
  const write = (value: unknown): void =>
    writeFileSync(configPath, typeof value === 'string' ? value : JSON.stringify(value));
  const base = {
    stateDir,
    hosts: [{ name: 'here', pollIntervalSec: 1, memoryStatsPeriodSec: 0 }],
    sync: { url: 'mysql://agent@127.0.0.1:1/setmov', intervalSec: 1 },
  };

  it('applies a valid file, refuses an invalid one and runs on, and closes within 3 s', async () => {
    const port = await freePort();
    write({ ...base, metrics: { port } });
    const lines: string[] = [];
    const agent = await Agent.start({
      configPath,
      config: await loadAgentConfig(configPath),
      env: { SETMOV_MYSQL_PASSWORD: '' },
      log: (line) => lines.push(line),
    });
    let closed = false;
    try {
      const first = await readAgentStatus(agentStatusPath(stateDir));
      expect(first).toMatchObject({ pid: process.pid, state: 'running', configPath });
      expect(first?.hosts.map((h) => h.name)).toEqual(['here']);
      const hereId = first?.hosts[0]?.id;
      expect(first?.metricsUrl).toBe(`http://127.0.0.1:${port}/metrics`);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(
        /^setmov_agent_hosts\{state="connecting"\} /m,
      );

      // Refused: the agent runs on as it was, and says so in one line.
      write({ ...base, sync: { ...base.sync, resolution: 'hourly' } });
      await agent.reload();
      const refusal = lines.filter((l) => l.includes('reload refused'));
      expect(refusal).toEqual([
        `setmov agent: reload refused, running on as before: ${configPath}: sync.resolution: expected one of raw, 10s, 1m`,
      ]);
      expect(agent.snapshot().lastError?.message).toMatch(/^reload refused/);
      expect(agent.snapshot().sync.resolution).toBe('10s');

      write('{ not json');
      await agent.reload();
      write({ ...base, stateDir: join(root, 'elsewhere') });
      await agent.reload();
      expect(lines.filter((l) => l.includes('reload refused'))).toHaveLength(3);
      expect(lines.at(-1)).toMatch(/stateDir changed to .*elsewhere: that takes a restart/);

      // Applied: a host added, the sync's resolution changed, the metrics moved.
      const newPort = await freePort();
      write({
        ...base,
        hosts: [
          ...base.hosts,
          { name: '두 번째 호스트', pollIntervalSec: 1, memoryStatsPeriodSec: 0 },
        ],
        sync: { ...base.sync, resolution: 'raw' },
        metrics: { port: newPort },
      });
      await agent.reload();
      expect(lines.at(-1)).toBe(
        `setmov agent: configuration reloaded: 2 hosts (1 added, 0 removed, 0 changed), sync restarted (mysql://agent@127.0.0.1:1/setmov at raw), metrics at http://127.0.0.1:${newPort}/metrics`,
      );
      const now = agent.snapshot();
      expect(now.hosts.map((h) => [h.name, h.id === hereId])).toEqual([
        ['here', true],
        ['두 번째 호스트', false],
      ]);
      expect(now.sync.resolution).toBe('raw');
      await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
      expect((await fetch(`http://127.0.0.1:${newPort}/metrics`)).status).toBe(200);

      // The same file again changes nothing.
      await agent.reload();
      expect(lines.at(-1)).toMatch(/0 added, 0 removed, 0 changed\), sync unchanged/);

      // A host taken out is stopped; a changed one restarted.
      write({
        ...base,
        hosts: [{ name: 'here', pollIntervalSec: 2, memoryStatsPeriodSec: 0 }],
        sync: { ...base.sync, resolution: 'raw' },
      });
      await agent.reload();
      expect(lines.at(-1)).toMatch(
        /1 hosts \(0 added, 1 removed, 1 changed\), sync unchanged, metrics off/,
      );

      const started = performance.now();
      await agent.close();
      closed = true;
      expect(performance.now() - started).toBeLessThan(3000);
      const last = await readAgentStatus(agentStatusPath(stateDir));
      expect(last?.state).toBe('stopped');
      expect(last?.sync.state).toBe('stopped');
      expect(lines.at(-1)).toBe('setmov agent: stopped');
    } finally {
      if (!closed) await agent.close();
    }
  });
});
