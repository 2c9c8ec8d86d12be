/** Quotes a string as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a POSIX sh script whatever the account's login shell is (bash, dash, zsh, csh,
 * fish): the server hands our command to that shell, so it only ever sees `exec sh -c`.
 */
export function shCommand(script: string): string {
  return `exec sh -c ${shellQuote(script)}`;
}
