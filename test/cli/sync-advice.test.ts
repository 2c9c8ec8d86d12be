import { describe, expect, it } from 'vitest';
import { syncErrorLine } from '../../src/cli/commands/sync-advice';

const passwordGiven = true;

describe("setmov sync's advice on a failure", () => {
  it('tells the CLI user to run setmov sync --init for what it fixes', () => {
    expect(
      syncErrorLine(
        {
          code: 'unknown-database',
          message: "MySQL h:3306: Unknown database 'vdi': the database does not exist",
        },
        { passwordGiven },
      ),
    ).toBe(
      "unknown-database: MySQL h:3306: Unknown database 'vdi': the database does not exist (setmov sync --init creates it, or create it yourself and grant the user all rights on it)",
    );
    expect(
      syncErrorLine(
        { code: 'schema-missing', message: 'the database has no SETMOV tables' },
        { passwordGiven },
      ),
    ).toBe(
      'schema-missing: the database has no SETMOV tables (run setmov sync --init to create them)',
    );
    expect(
      syncErrorLine(
        { code: 'schema-old', message: 'schema version 1 is older than 2' },
        { passwordGiven },
      ),
    ).toBe('schema-old: schema version 1 is older than 2 (run setmov sync --init to upgrade it)');
    expect(
      syncErrorLine(
        { code: 'create-database-denied', message: 'user u may not create it: CREATE …; GRANT …;' },
        { passwordGiven },
      ),
    ).toBe(
      'create-database-denied: user u may not create it: CREATE …; GRANT …; (have an administrator run them, then run setmov sync --init again)',
    );
  });

  it('says how to give a password only when none was given and access was denied', () => {
    const denied = { code: 'auth-failed' as const, message: 'MySQL h:3306: access denied: no' };
    expect(syncErrorLine(denied, { passwordGiven: false })).toBe(
      'auth-failed: MySQL h:3306: access denied: no (no password was given: set SETMOV_MYSQL_PASSWORD or use --password-prompt)',
    );
    expect(syncErrorLine(denied, { passwordGiven })).toBe(
      'auth-failed: MySQL h:3306: access denied: no',
    );
  });

  it('adds nothing where there is nothing to do from here', () => {
    expect(
      syncErrorLine({ code: 'connection-refused', message: 'refused' }, { passwordGiven }),
    ).toBe('connection-refused: refused');
  });
});
