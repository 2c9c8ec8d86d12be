/** An error's first line, for statuses and warnings (stack-like detail stays out of the UI). */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
