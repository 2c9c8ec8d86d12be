import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createPreloadClient } from '../../src/shared/contract';
import type { ContractClient } from '../../src/shared/contract';
import type { SetmovBridge } from '../../src/shared/contract/bridge';
import type { HostPollEvent } from '../../src/shared/model/host-view';

const { fake, module } = await vi.hoisted(async () =>
  (await import('./electron-fake')).createElectronFake(),
);
vi.mock('electron', () => module);

let client: ContractClient;

// Main's real entry and backend (this machine as its first host, from /proc) with only the
// Electron runtime replaced; the page's client is the one the renderer uses.
beforeAll(async () => {
  await import('../../src/preload/index');
  client = createPreloadClient(fake.exposed.get('setmov') as SetmovBridge);
  await import('../../src/main/index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 15_000 });
  fake.senderUrl = pathToFileURL(fake.windows[0]!.loadedFile!).href;
}, 30_000);

describe('a window subscribing to the overview over IPC', () => {
  it('gets host.poll only while it watches the overview', async () => {
    const polls: HostPollEvent[] = [];
    const stopListening = client.subscribe('host.poll', (poll) => polls.push(poll));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(polls).toEqual([]);
    const stopWatching = client.watch('overview');
    await vi.waitFor(() => expect(polls.length).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    // This machine's first poll: its name, its status and its VM counts (none without libvirt).
    expect(polls[0]).toMatchObject({
      hostId: expect.any(String),
      status: { status: expect.any(String) },
      vms: { total: expect.any(Number), running: expect.any(Number) },
    });
    stopWatching();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = polls.length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(polls.length).toBe(seen);
    stopListening();
  });
});
