import { describe, expect, it } from 'vitest';
import type { SetmovBridge } from '../../src/preload/api';
import { createPreloadClient } from '../../src/shared/contract';

function bridgeAnswering(reply: unknown): SetmovBridge {
  return { request: () => Promise.resolve(reply as never) };
}

describe('preload contract client', () => {
  it('unwraps ok replies and throws typed errors', async () => {
    await expect(
      createPreloadClient(bridgeAnswering({ ok: { version: '2.0.0' } })).request('app.getVersion'),
    ).resolves.toEqual({ version: '2.0.0' });
    await expect(
      createPreloadClient(
        bridgeAnswering({ error: { code: 'forbidden', message: 'not the console page' } }),
      ).request('app.getVersion'),
    ).rejects.toMatchObject({ name: 'ContractError', code: 'forbidden' });
  });

  it('refuses something that is not a reply', async () => {
    for (const reply of [undefined, 'x', { error: 'boom' }, { error: { code: 1 } }]) {
      await expect(
        createPreloadClient(bridgeAnswering(reply)).request('app.getVersion'),
      ).rejects.toMatchObject({
        code: 'internal',
        message: 'app.getVersion: malformed reply from main',
      });
    }
  });
});
