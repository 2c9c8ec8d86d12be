import { UsageError } from '../usage-error';

/** A CLI time: ms since the epoch (digits only) or an ISO 8601 date/time. */
export function parseTime(text: string, option: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    throw new UsageError(`${option}: '${text}' is neither an ISO time nor ms since the epoch`);
  }
  return value;
}
