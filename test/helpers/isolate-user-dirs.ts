import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test file gets its own XDG config and data folders, so a backend started by a test
 * (in process, or a spawned `setmov` that inherits the environment) never reads or writes
 * the saved hosts, secrets or history of the admin who runs `npm test` on a real host.
 * Tests that are about these folders set their own.
 */
const root = mkdtempSync(join(tmpdir(), 'setmov-user-dirs-'));
process.env['XDG_CONFIG_HOME'] = join(root, 'config');
process.env['XDG_DATA_HOME'] = join(root, 'data');
