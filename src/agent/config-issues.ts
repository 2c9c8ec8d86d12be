import type { z } from 'zod';

/** Field names that would hold a secret; the agent's configuration never does. */
const SECRET_FIELD = /pass(word|phrase)?|secret|token/i;

/** What a value is, in the words of a JSON file. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return typeof value;
}

/** What a size bound counts, by the kind of value it bounds. */
function unitOf(origin: string): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array') return ' entries';
  return '';
}

/**
 * Messages for the issues a schema leaves to zod's defaults, in the file's words
 * ("expected number, got a string"); messages a schema gives itself win over these.
 */
export function configIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required (${issue.expected})`
        : `expected ${issue.expected}, got ${jsonKind(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}${unitOf(issue.origin)}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}${unitOf(issue.origin)}`;
    default:
      return undefined;
  }
}

/** `sync.resolution`, `hosts[0].ssh.port`. */
function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/**
 * One line per problem, each naming its field: `sync.resolution: expected one of raw,
 * 10s, 1m`. Each unknown field is a problem of its own; one that looks like a password
 * says where passwords go instead (`secretsHint`).
 */
export function configIssueLines(error: z.ZodError, secretsHint: string): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const where = pathText([...issue.path, key]);
        lines.push(
          SECRET_FIELD.test(key)
            ? `${where}: passwords do not go in this file: ${secretsHint}`
            : `${where}: unknown field`,
        );
      }
      continue;
    }
    const where = pathText(issue.path);
    lines.push(`${where === '' ? '' : `${where}: `}${issue.message}`);
  }
  return lines;
}
