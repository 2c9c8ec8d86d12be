import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../collector/files/private-json-file';

const namesSchema = z.record(z.string(), z.string());

/**
 * The name each saved host's history is kept under (the host's own hostname, which its
 * samples carry), so a history or export request by saved name works after a restart,
 * before the host has answered again. Kept in history-names.json.
 */
export class HistoryNames {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly names: Map<string, string>,
    private readonly onError: (error: Error) => void,
  ) {}

  static async open(path: string, onError: (error: Error) => void): Promise<HistoryNames> {
    const saved = (await readJsonFile(path, namesSchema)) ?? {};
    return new HistoryNames(path, new Map(Object.entries(saved)), onError);
  }

  /** The history's name of a saved host: its hostname once known, else the saved name. */
  of(savedName: string): string {
    return this.names.get(savedName) ?? savedName;
  }

  learn(savedName: string, hostname: string): void {
    if (this.names.get(savedName) === hostname) return;
    this.names.set(savedName, hostname);
    this.save();
  }

  /** Writes one after the other, so the file ends with the latest names. */
  private save(): void {
    const snapshot = Object.fromEntries(this.names);
    this.writing = this.writing
      .then(() => writeJsonFile(this.path, namesSchema, snapshot))
      .catch((error: Error) => this.onError(error));
  }

  /** Resolves once every change so far is on disk. */
  flushed(): Promise<void> {
    return this.writing;
  }
}
