import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WindowEvents } from '../../src/main/window-events';
import { EVENT_CHANNEL, EventHub } from '../../src/shared/contract';

function page(id: number, send: (...args: unknown[]) => void, destroyed = () => false) {
  return Object.assign(new EventEmitter(), { id, send, isDestroyed: destroyed });
}

describe('WindowEvents', () => {
  it("delivers each window's topics, and detaches a window when it is destroyed", () => {
    const hub = new EventHub();
    const windows = new WindowEvents(hub, () => {});
    const got: unknown[][] = [];
    const first = page(1, (...args) => got.push([1, ...args]));
    windows.attach(first as never);
    windows.attach(first as never); // twice: still one subscriber
    windows.attach(page(2, (...args) => got.push([2, ...args])) as never);
    windows.of(1)?.setTopics(['sync']);
    hub.publish('sync.status', { target: null, status: null });
    hub.publish('app.stopping', { reason: 'quit' });
    expect(got).toEqual([
      [1, EVENT_CHANNEL, 'sync.status', { target: null, status: null }],
      [1, EVENT_CHANNEL, 'app.stopping', { reason: 'quit' }],
      [2, EVENT_CHANNEL, 'app.stopping', { reason: 'quit' }],
    ]);
    first.emit('destroyed');
    expect(windows.of(1)).toBeUndefined();
    expect(hub.size).toBe(1);
    expect(hub.wants('sync')).toBe(false);
  });

  // Electron throws from send when the frame went away after isDestroyed() answered,
  // or when the payload cannot be cloned; neither can be staged without Electron.
  it('reports a window whose send throws, and still delivers to the others', () => {
    const errors: [string, unknown][] = [];
    const hub = new EventHub();
    const windows = new WindowEvents(hub, (name, error) => errors.push([name, error]));
    const failure = new Error('Render frame was disposed before WebFrameMain could be accessed');
    const got: string[] = [];
    windows.attach(
      page(1, () => {
        throw failure;
      }) as never,
    );
    windows.attach(page(2, () => got.push('second')) as never);
    windows.attach(
      page(
        3,
        () => got.push('destroyed'),
        () => true,
      ) as never,
    );
    expect(() => hub.publish('app.stopping', { reason: 'quit' })).not.toThrow();
    expect(got).toEqual(['second']);
    expect(errors).toEqual([['app.stopping', failure]]);
  });
});
