/** MySQL and MariaDB refuse a database name longer than this, in characters. */
const MAX_DATABASE_NAME_CHARS = 64;

/**
 * Why `name` cannot be a database name on MySQL 8 or MariaDB, or null when it can: a
 * quoted identifier holds any character of the Basic Multilingual Plane but NUL, and a
 * database name may not end with a space.
 */
export function mysqlDatabaseNameProblem(name: string): string | null {
  const chars = [...name];
  if (chars.length > MAX_DATABASE_NAME_CHARS)
    return `is ${chars.length} characters long, more than the ${MAX_DATABASE_NAME_CHARS} characters MySQL allows`;
  if (name.endsWith(' ')) return 'ends with a space, which MySQL does not allow';
  if (name.includes('\0')) return 'holds NUL, which MySQL does not allow';
  const beyond = chars.find((char) => (char.codePointAt(0) ?? 0) > 0xffff);
  if (beyond !== undefined) {
    const code = (beyond.codePointAt(0) ?? 0).toString(16).toUpperCase();
    return `holds U+${code}, beyond the characters MySQL allows in a name`;
  }
  return null;
}

/**
 * `name` as a quoted identifier: in backticks, a backtick in it doubled. Backticks mean
 * an identifier whatever the sql_mode (ANSI_QUOTES changes only double quotes).
 */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
