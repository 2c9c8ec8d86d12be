import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/shared/contract/event-hub';
import { topicOf } from '../../src/shared/contract/topics';

const poll = {
  hostId: 'h1',
  status: {
    status: 'up' as const,
    reason: null,
    procError: null,
    libvirtError: null,
    retryAt: null,
    failedAttempts: 0,
  },
  figures: null,
  vms: {
    total: 1,
    running: 1,
    paused: 0,
    other: 0,
    displaysConnected: 0,
    allocatedVcpus: 0,
    allocatedMemoryBytes: 0,
  },
};

describe('EventHub', () => {
  it('routes an event to the pages of its topic, and one without a topic to all', () => {
    const errors: unknown[] = [];
    const hub = new EventHub((_name, error) => errors.push(error));
    const got: Record<string, string[]> = { a: [], b: [], c: [] };
    const a = hub.attach((name) => got.a!.push(name));
    const b = hub.attach((name) => got.b!.push(name));
    hub.attach((name) => got.c!.push(name));
    a.setTopics(['overview']);
    b.setTopics(['host:h1', 'vm:0f8fad5b-d9cb-469f-a165-70867728950e']);
    hub.publish('host.poll', poll);
    hub.publish('host.detail', { hostId: 'h1', sample: null, vms: [] });
    hub.publish('host.detail', { hostId: 'h2', sample: null, vms: [] });
    hub.publish('app.stopping', { reason: 'quit' });
    expect(got).toEqual({
      a: ['host.poll', 'app.stopping'],
      b: ['host.detail', 'app.stopping'],
      c: ['app.stopping'],
    });
    expect(errors).toEqual([]);
  });

  it('wants a topic only while an attached page has it', () => {
    const hub = new EventHub();
    expect(hub.wants('overview')).toBe(false);
    const page = hub.attach(() => {});
    page.setTopics(['overview', 'overview']);
    expect(page.topics()).toEqual(['overview']);
    expect(hub.wants('overview')).toBe(true);
    expect(hub.wants('sync')).toBe(false);
    page.detach();
    expect(hub.wants('overview')).toBe(false);
    expect(hub.size).toBe(0);
  });

  it('encodes an event once for all pages, and a page that throws does not starve the rest', () => {
    const errors: unknown[] = [];
    const hub = new EventHub((name, error) => errors.push([name, error]));
    const frames: string[] = [];
    const failure = new Error('window gone');
    hub.attach(() => {
      throw failure;
    });
    hub.attach((_n, _p, frame) => frames.push(frame()));
    hub.attach((_n, _p, frame) => frames.push(frame()));
    hub.publish('app.stopping', { reason: 'signal' });
    expect(frames).toHaveLength(2);
    expect(frames[0]).toBe(frames[1]);
    expect(JSON.parse(frames[0]!)).toEqual({
      event: 'app.stopping',
      payload: { reason: 'signal' },
    });
    expect(errors).toEqual([['app.stopping', failure]]);
  });

  it('names each event topic after its host or VM', () => {
    expect(topicOf('host.poll', poll)).toBe('overview');
    expect(
      topicOf('vm.detail', {
        hostId: 'h',
        uuid: '0F8FAD5B-D9CB-469F-A165-70867728950E',
        sample: {} as never,
      }),
    ).toBe('vm:0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(topicOf('sync.status', { target: null, status: null })).toBe('sync');
    expect(topicOf('host.status', { hostId: 'h', status: poll.status })).toBeNull();
  });

  it('sends display and inventory changes to every page, whatever view it shows', () => {
    const hub = new EventHub();
    const got: string[] = [];
    // A page showing only the overview: no host topic is watched.
    const page = hub.attach((name) => got.push(name));
    page.setTopics(['overview']);
    hub.publish('vm.display', {
      hostId: 'h',
      uuid: '0f8fad5b-d9cb-469f-a165-70867728950e',
      name: 'desk',
      display: {
        kind: 'display',
        phase: 'disconnect',
        client: null,
        lct: 1,
        connectedNow: false,
      } as never,
    });
    hub.publish('inventory.changed', { hostId: 'h', change: 'gone', vm: {} as never });
    expect(got).toEqual(['vm.display', 'inventory.changed']);
  });
});
