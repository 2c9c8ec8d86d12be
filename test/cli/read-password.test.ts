import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliPassword, promptPassword } from '../../src/cli/store/read-password';

/**
 * A terminal for the prompt: a stream that says it is a TTY and records raw mode. The
 * real pseudo-terminal path is in sync-password.bed.test.ts; this one reaches the keys
 * (backspace, Ctrl-C, Ctrl-D) a pty test cannot type reliably.
 */
function fakeTerminal() {
  const input = new PassThrough() as PassThrough & {
    isTTY: boolean;
    rawModes: boolean[];
    setRawMode: (on: boolean) => void;
  };
  input.isTTY = true;
  input.rawModes = [];
  input.setRawMode = (on) => void input.rawModes.push(on);
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  return {
    input: input as unknown as NodeJS.ReadStream & { rawModes: boolean[] },
    output,
    type: (text: string) => input.write(text),
    shown: () => shown,
  };
}

describe('promptPassword', () => {
  it('reads a line in raw mode, without echo, honouring backspace', async () => {
    const t = fakeTerminal();
    const typed = promptPassword('pw: ', t);
    t.type('sekx\u007fret\r');
    expect(await typed).toBe('sekret');
    expect(t.shown()).toBe('pw: \n');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('cancels on Ctrl-C and on end of input, leaving raw mode', async () => {
    for (const key of ['ab\u0003', '\u0004']) {
      const t = fakeTerminal();
      const typed = promptPassword('pw: ', t);
      t.type(key);
      await expect(typed).rejects.toMatchObject({ name: 'UsageError' });
      expect(t.input.rawModes).toEqual([true, false]);
    }
  });

  it('refuses where stdin is not a terminal', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    await expect(promptPassword('pw: ', { input, output: new PassThrough() })).rejects.toThrow(
      /needs a terminal/,
    );
  });
});

describe('cliPassword', () => {
  const base = { envName: 'PW', promptText: 'pw: ' };

  it('takes the environment first, even empty, then the prompt, then the saved one, else none', async () => {
    const saved = async (): Promise<string | null> => 'saved';
    expect(await cliPassword({ ...base, env: { PW: '' }, prompt: true, stored: saved })).toBe('');
    const t = fakeTerminal();
    const prompted = cliPassword({ ...base, env: {}, prompt: true, stored: saved, terminal: t });
    t.type('typed\n');
    expect(await prompted).toBe('typed');
    expect(await cliPassword({ ...base, env: {}, prompt: false, stored: saved })).toBe('saved');
    const none = async (): Promise<string | null> => null;
    expect(await cliPassword({ ...base, env: {}, prompt: false, stored: none })).toBeUndefined();
    expect(await cliPassword({ ...base, env: {}, prompt: false })).toBeUndefined();
  });
});
