import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

/**
 * The one way the app reads and writes its own JSON files (hosts.json, settings.json,
 * sync.json, history-names.json): private to the user, never through a symbolic link,
 * bounded in size, and only ever written with a value the same schema reads back.
 */

/** No file of ours comes near it; a bigger one is not ours to parse. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A file of the app cannot be read, holds bad values, or a value would not load again. */
export class JsonFileError extends Error {
  override readonly name = 'JsonFileError';
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.join('.');
  return `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`;
}

/** The file's value as the schema makes it valid; undefined when there is no file yet. */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<z.output<S> | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') {
      throw new JsonFileError(`${path}: is a symbolic link; the app's files must be its own`);
    }
    throw new JsonFileError(`${path}: cannot read (${code ?? 'error'})`);
  }
  let text: string;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new JsonFileError(`${path}: is not a regular file`);
    if (stat.size > MAX_FILE_BYTES) {
      throw new JsonFileError(`${path}: ${stat.size} bytes, over the ${MAX_FILE_BYTES} allowed`);
    }
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JsonFileError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new JsonFileError(`${path}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** Writes of one path, in the order they were asked for. */
const writesByPath = new Map<string, Promise<void>>();

/**
 * Writes the value where readJsonFile(path, schema) will read it back: checked with that
 * schema first (a value it would refuse is refused here, and the old file stays), then
 * a temporary file of its own (0600, synced) renamed over the old one. Writes of one
 * path go one after the other, so the last one asked for is the one that stays.
 */
export function writeJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  value: z.input<S>,
): Promise<void> {
  const checked = schema.safeParse(value);
  if (!checked.success) {
    return Promise.reject(
      new JsonFileError(
        `${path}: not written, it would not load again: ${firstIssue(checked.error)}`,
      ),
    );
  }
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const previous = writesByPath.get(path) ?? Promise.resolve();
  const done = previous.then(() => replaceFile(path, text));
  const settled = done.catch(() => undefined);
  writesByPath.set(path, settled);
  void settled.then(() => {
    if (writesByPath.get(path) === settled) writesByPath.delete(path);
  });
  return done;
}

async function replaceFile(path: string, text: string): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const existing = await lstat(path).catch(() => null);
  if (existing?.isSymbolicLink()) {
    throw new JsonFileError(`${path}: is a symbolic link; not written through it`);
  }
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      // The umask can only take bits away; chmod makes it exactly 0600 before the data.
      await handle.chmod(0o600);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new JsonFileError(`${path}: cannot be written (${code ?? (error as Error).message})`);
  }
}
