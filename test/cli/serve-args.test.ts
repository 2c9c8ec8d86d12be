import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../src/cli/commands/serve-args';
import { UsageError } from '../../src/cli/usage-error';

describe('setmov serve --central', () => {
  it('reads a cluster URL with its pace, in ms', () => {
    const { central } = parseServeArgs([
      '--central',
      'mysql://reader@10.0.0.1:4306,10.0.0.2:4307/setmov',
      '--central-refresh',
      '5',
      '--stale-after',
      '120',
      '--central-tls-ca',
      '/etc/setmov/ca.pem',
    ]);
    expect(central).toEqual({
      target: {
        host: '10.0.0.1',
        port: 4306,
        alsoAt: [{ host: '10.0.0.2', port: 4307 }],
        user: 'reader',
        database: 'setmov',
        tlsCaFile: '/etc/setmov/ca.pem',
      },
      refreshMs: 5000,
      staleAfterMs: 120_000,
    });
  });

  it('has no central source unless asked, and 2 s / 60 s when asked without a pace', () => {
    expect(parseServeArgs([]).central).toBeUndefined();
    expect(parseServeArgs(['--central', 'mysql://r@db/setmov']).central).toMatchObject({
      refreshMs: 2000,
      staleAfterMs: 60_000,
    });
  });

  it.each([
    [['--central', 'mysql://r:secret@db/setmov'], /password/],
    [['--central-refresh', '5'], /go with --central/],
    [['--central-tls-ca', 'ca.pem'], /go with --central/],
    [['--central', 'mysql://r@db/s', '--central-refresh', '0'], /from 1 to 3600/],
    [['--central', 'mysql://r@db/s', '--stale-after', '2.5'], /whole number/],
    [['--central', 'mysql://r@db/s', '--central-refresh', '30', '--stale-after', '10'], /longer/],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(UsageError);
    expect(() => parseServeArgs(args)).toThrow(message);
  });
});
