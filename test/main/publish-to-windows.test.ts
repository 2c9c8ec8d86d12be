import { describe, expect, it } from 'vitest';
import { publishToWindows } from '../../src/main/publish-to-windows';
import { EVENT_CHANNEL } from '../../src/shared/contract';

function window(send: (channel: string, ...args: unknown[]) => void, destroyed = false) {
  return { webContents: { send, isDestroyed: () => destroyed } };
}

describe('publishToWindows', () => {
  it('delivers to every live window and skips destroyed ones', () => {
    const got: unknown[][] = [];
    const publish = publishToWindows(
      () => [
        window((...args) => got.push(['a', ...args])),
        window(() => got.push(['destroyed']), true),
        window((...args) => got.push(['b', ...args])),
      ],
      () => {},
    );
    publish('app.stopping', { reason: 'quit' });
    expect(got).toEqual([
      ['a', EVENT_CHANNEL, 'app.stopping', { reason: 'quit' }],
      ['b', EVENT_CHANNEL, 'app.stopping', { reason: 'quit' }],
    ]);
  });

  // Electron throws from send when the frame went away after isDestroyed() answered,
  // or when the payload cannot be cloned; neither can be staged without Electron.
  it('reports a window whose send throws, and still delivers to the others', () => {
    const got: string[] = [];
    const errors: [string, unknown][] = [];
    const failure = new Error('Render frame was disposed before WebFrameMain could be accessed');
    const publish = publishToWindows(
      () => [
        window(() => {
          throw failure;
        }),
        window(() => got.push('second')),
      ],
      (name, error) => errors.push([name, error]),
    );
    expect(() => publish('app.stopping', { reason: 'quit' })).not.toThrow();
    expect(got).toEqual(['second']);
    expect(errors).toEqual([['app.stopping', failure]]);
  });
});
