import { renameSync, rmSync } from 'node:fs';
import { join, parse } from 'node:path';
import type { LogMessage, NodeLogger } from 'electron-log';
import type { SecretRedactor } from './redact';

export interface AppLogOptions {
  /** The user's log folder: Electron's app.getPath('logs'). */
  logsDir: string;
  redactor: SecretRedactor;
  /** A file past this size is rotated before the next line is written. */
  maxFileBytes?: number;
  /** Rotated files kept beside the current one (main.1.log is the newest). */
  keptFiles?: number;
}

export const defaultMaxLogFileBytes = 5 * 1024 * 1024;
export const defaultKeptLogFiles = 3;
export const appLogFileName = 'main.log';

/**
 * Shifts main.log to main.1.log, main.1.log to main.2.log, ..., dropping the oldest,
 * so the folder never holds more than (keptFiles + 1) × maxFileBytes.
 */
export function rotateLogFiles(currentPath: string, keptFiles: number): void {
  const { dir, name, ext } = parse(currentPath);
  const generation = (n: number): string => join(dir, `${name}.${n}${ext}`);
  rmSync(generation(keptFiles), { force: true });
  for (let n = keptFiles - 1; n >= 1; n -= 1) {
    try {
      renameSync(generation(n), generation(n + 1));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (keptFiles > 0) renameSync(currentPath, generation(1));
  else rmSync(currentPath, { force: true });
}

/**
 * Points a logger at the app's rotating file and makes every line, on every
 * transport, pass the redactor first: no call site has to remember to.
 */
export function configureAppLog(log: NodeLogger, options: AppLogOptions): NodeLogger {
  const keptFiles = options.keptFiles ?? defaultKeptLogFiles;
  const file = log.transports.file;
  file.resolvePathFn = () => join(options.logsDir, appLogFileName);
  file.maxSize = options.maxFileBytes ?? defaultMaxLogFileBytes;
  // Private like the history: the log names hosts, users and paths.
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  file.level = 'info';
  file.archiveLogFn = (oldFile) => {
    try {
      rotateLogFiles(oldFile.path, keptFiles);
    } catch {
      // A folder we cannot rename in must still not grow without bound.
      oldFile.clear();
    }
  };
  log.hooks.push((message: LogMessage): LogMessage => ({
    ...message,
    data: message.data.map((item: unknown) => options.redactor.value(item)),
  }));
  return log;
}
