import log from 'electron-log/node';
import type { NodeLogger } from 'electron-log';
import { configureAppLog } from './app-log';
import { SecretRedactor } from './redact';

/**
 * Every secret main holds is told to this one redactor (remember), so it is blanked
 * from every line of the app's log.
 */
export const secretRedactor = new SecretRedactor();

/**
 * The app's logger, writing to main.log in the user's log folder. electron-log's
 * Node entry is used on purpose: main names the folder itself (app.getPath('logs')),
 * and the Electron entry would add an IPC channel for renderer logging, which the
 * sandboxed page has no use for and the contract's one-channel rule forbids.
 */
export function createMainLog(logsDir: string): NodeLogger {
  return configureAppLog(log, { logsDir, redactor: secretRedactor });
}
