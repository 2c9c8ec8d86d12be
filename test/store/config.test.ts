import { describe, expect, it } from 'vitest';
import { defaultDbPath } from '../../src/store/default-db-path';
import { parseMysqlUrl, targetKey } from '../../src/store/mysql/mysql-target';
import { classifyMysqlError } from '../../src/store/mysql/sync-error';
import { mysqlSecretKey } from '../../src/store/secret-store';

describe('default SQLite location', () => {
  it('follows each platform’s per-user data directory', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/a')).toBe(
      '/data/setmov/setmov.db',
    );
    expect(defaultDbPath({}, 'linux', '/home/a')).toBe('/home/a/.local/share/setmov/setmov.db');
    expect(defaultDbPath({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/a')).toBe(
      '/home/a/.local/share/setmov/setmov.db',
    );
    expect(defaultDbPath({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/setmov/setmov.db',
    );
    expect(
      defaultDbPath({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a'),
    ).toMatch(/Roaming.setmov.setmov\.db$/);
  });
});

describe('mysql:// targets', () => {
  it('parses user, host, port and database; 3306 by default', () => {
    expect(parseMysqlUrl('mysql://setmov@db.example:3307/vdi')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'setmov',
      database: 'vdi',
    });
    const t = parseMysqlUrl('mysql://root@127.0.0.1/setmov');
    expect(t.port).toBe(3306);
    expect(targetKey(t)).toBe('mysql://root@127.0.0.1:3306/setmov');
    expect(mysqlSecretKey(t)).toBe('mysql:root@127.0.0.1:3306/setmov');
  });

  it('refuses a password in the URL and malformed URLs with a typed error', () => {
    expect(() => parseMysqlUrl('mysql://root:pw@h/db')).toThrow(
      expect.objectContaining({ code: 'bad-config', message: expect.stringMatching(/password/) }),
    );
    for (const bad of [
      'not a url',
      'http://root@h/db',
      'mysql://h/db',
      'mysql://root@h/',
      'mysql://root@h/a/b',
    ]) {
      expect(() => parseMysqlUrl(bad)).toThrow(expect.objectContaining({ code: 'bad-config' }));
    }
  });
});

describe('a cluster target: several addresses, tried in order', () => {
  it('parses each node and keeps them in order', () => {
    const t = parseMysqlUrl('mysql://agent@127.0.0.1:4306,127.0.0.1:4307,[::1]/setmov');
    expect(t).toEqual({
      host: '127.0.0.1',
      port: 4306,
      alsoAt: [
        { host: '127.0.0.1', port: 4307 },
        { host: '::1', port: 3306 },
      ],
      user: 'agent',
      database: 'setmov',
    });
    expect(targetKey(t)).toBe('mysql://agent@127.0.0.1:4306,127.0.0.1:4307,[::1]:3306/setmov');
    // One password for the cluster; a one-node target keeps the key it always had.
    expect(mysqlSecretKey(t)).toBe('mysql:agent@127.0.0.1:4306,127.0.0.1:4307,[::1]:3306/setmov');
  });

  it.each([
    ['an empty address', 'mysql://a@h1:1,,h2:2/db'],
    ['a node named twice', 'mysql://a@h1:1,h1:1/db'],
    ['a password in a later address', 'mysql://a@h1:1,b:pw@h2:2/db'],
    ['a bad port', 'mysql://a@h1:1,h2:99999/db'],
    ['a path in a later address', 'mysql://a@h1:1,h2:2/x/db'],
  ])('refuses %s with a typed error', (_what, url) => {
    expect(() => parseMysqlUrl(url)).toThrow(expect.objectContaining({ code: 'bad-config' }));
  });
});

describe('a target saved as its key parses back to itself', () => {
  it.each([
    'mysql://root@[::1]:3306/db',
    'mysql://a%3Ab@127.0.0.1:3306/db',
    'mysql://us%20er@h:3307/d%C3%A9j%C3%A0',
    'mysql://setmov@db.example:3306/vdi',
    'mysql://agent@10.0.0.1:3306,10.0.0.2:3306,[fd00::3]:3307/setmov',
  ])('%s', (url) => {
    const target = parseMysqlUrl(url);
    expect(parseMysqlUrl(targetKey(target))).toEqual(target);
    expect(targetKey(parseMysqlUrl(targetKey(target)))).toBe(targetKey(target));
  });

  it('names the IPv6 host in brackets and keeps the user escaped', () => {
    expect(targetKey(parseMysqlUrl('mysql://root@[::1]/db'))).toBe('mysql://root@[::1]:3306/db');
    expect(parseMysqlUrl('mysql://a%3Ab@h/db').user).toBe('a:b');
  });

  it('refuses a bad %-escape with a typed error, not a URIError', () => {
    expect(() => parseMysqlUrl('mysql://a%E0%A4%A@h/db')).toThrow(
      expect.objectContaining({ code: 'bad-config' }),
    );
  });
});

describe('driver errors', () => {
  it('maps the codes mysql2 reports to the status codes the UI shows', () => {
    const cases: [object, string][] = [
      [{ code: 'ER_ACCESS_DENIED_ERROR', message: 'Access denied' }, 'auth-failed'],
      [{ code: 'ER_BAD_DB_ERROR', message: "Unknown database 'x'" }, 'unknown-database'],
      [{ code: 'ECONNREFUSED' }, 'connection-refused'],
      [{ code: 'ENOTFOUND' }, 'host-not-found'],
      [{ code: 'ETIMEDOUT' }, 'timeout'],
      [{ code: 'HANDSHAKE_NO_SSL_SUPPORT' }, 'tls'],
      [
        { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'Hostname/IP does not match certificate' },
        'tls',
      ],
      [
        { code: 'ER_NO_SUCH_TABLE', message: "Table 'x.t4_vm_usage' doesn't exist" },
        'schema-missing',
      ],
      [{ code: 'ER_CONNECTION_KILLED', message: 'Connection was killed' }, 'connection-lost'],
      [{ code: 'ER_SOMETHING', message: 'odd', fatal: true }, 'connection-lost'],
      [{ code: 'ER_DUP_ENTRY', message: 'dup' }, 'mysql-error'],
    ];
    for (const [error, code] of cases)
      expect(classifyMysqlError(error, 'MySQL h:1').code).toBe(code);
  });
});
