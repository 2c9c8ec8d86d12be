import type { z } from 'zod';
import { BoundedFileError, readBoundedFile } from '../collector/files/read-bounded-file';
import { configIssueLines, configIssueMessage } from './config-issues';

/** No configuration comes near it; a larger file is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A configuration file (the agent's, serve's) does not load; one line per problem, each
 * starting with the file's path and naming its field.
 */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** The JSON value a configuration file holds; ConfigFileError when it holds none. */
export async function readJsonConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readBoundedFile(path, MAX_CONFIG_BYTES)).toString('utf8');
  } catch (error) {
    const reason =
      error instanceof BoundedFileError
        ? error.reason
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new ConfigFileError([`${path}: ${reason}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigFileError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
}

/**
 * A configuration's value checked against its schema, in the file's words: `where` (the
 * file's path) starts each problem's line; `secretsHint` says where passwords go instead.
 */
export function checkedConfig<Schema extends z.ZodType>(
  schema: Schema,
  where: string,
  value: unknown,
  secretsHint: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value, { error: configIssueMessage });
  if (parsed.success) return parsed.data;
  const lines = configIssueLines(parsed.error, secretsHint);
  throw new ConfigFileError(lines.map((line) => `${where}: ${line}`));
}
