import type { IpcMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { registerContractHandler } from '../../src/main/ipc';
import { ContractError, REQUEST_CHANNEL } from '../../src/shared/contract';
import type { RequestHandlers } from '../../src/shared/contract';

type IpcHandler = (event: unknown, name: unknown, params: unknown) => Promise<unknown>;

/** Only the handlers a test calls; dispatch looks a request up by name. */
function register(partial: Partial<RequestHandlers>) {
  const handlers = partial as RequestHandlers;
  let registered: IpcHandler | undefined;
  const logged: [string, unknown][] = [];
  const ipcMain = { handle: (_channel: string, h: IpcHandler) => (registered = h) };
  registerContractHandler(
    ipcMain as unknown as IpcMain,
    handlers,
    (url) => url === 'file:///app/index.html',
    (name, error) => logged.push([name, error]),
  );
  const call = (name: unknown, params?: unknown) =>
    registered!({ senderFrame: { url: 'file:///app/index.html' } }, name, params);
  return { call, logged, channelHandler: registered };
}

describe('registerContractHandler', () => {
  it('keeps unexpected failures out of the reply and in the log', async () => {
    const secret = new Error('EACCES /root/.ssh/id_ed25519');
    const { call, logged } = register({
      'app.getVersion': () => {
        throw secret;
      },
    });
    await expect(call('app.getVersion')).resolves.toEqual({
      error: { code: 'internal', message: 'app.getVersion failed unexpectedly' },
    });
    expect(logged).toEqual([['app.getVersion', secret]]);
  });

  it('passes on failures a handler reports on purpose', async () => {
    const { call, logged } = register({
      'app.getVersion': () => Promise.reject(new ContractError('failed', 'host unreachable')),
    });
    await expect(call('app.getVersion')).resolves.toEqual({
      error: { code: 'failed', message: 'host unreachable' },
    });
    expect(logged).toEqual([]);
  });

  it('accepts null and {} as "no params" but not an array', async () => {
    const { call } = register({ 'app.getVersion': () => ({ version: '9.9.9' }) });
    await expect(call('app.getVersion', null)).resolves.toEqual({ ok: { version: '9.9.9' } });
    await expect(call('app.getVersion', {})).resolves.toEqual({ ok: { version: '9.9.9' } });
    await expect(call('app.getVersion', [])).resolves.toMatchObject({
      error: { code: 'bad-request' },
    });
  });

  it('does not treat inherited object keys as request names', async () => {
    const { call } = register({ 'app.getVersion': () => ({ version: '9.9.9' }) });
    await expect(call('constructor')).resolves.toMatchObject({ error: { code: 'bad-request' } });
    await expect(call('__proto__')).resolves.toMatchObject({ error: { code: 'bad-request' } });
  });

  it('refuses a request whose frame is gone, whether Electron gives null or throws', async () => {
    const { channelHandler } = register({ 'app.getVersion': () => ({ version: '9.9.9' }) });
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    for (const event of [{ senderFrame: null }, {}, disposed]) {
      await expect(channelHandler!(event, 'app.getVersion', undefined)).resolves.toEqual({
        error: { code: 'forbidden', message: 'requests are only answered for the console page' },
      });
    }
  });

  it('listens on the contract channel', () => {
    let channel = '';
    registerContractHandler(
      { handle: (c: string) => (channel = c) } as unknown as IpcMain,
      { 'app.getVersion': () => ({ version: '1' }) } as Partial<RequestHandlers> as RequestHandlers,
      () => true,
      () => {},
    );
    expect(channel).toBe(REQUEST_CHANNEL);
  });
});
