/** What a change set: memory in bytes, or a vCPU count. */
export type AuditChangeKind = 'memory' | 'vcpus';

/** Where a change went: the running guest, the definition for its next boot, or both. */
export type AuditScope = 'live' | 'config' | 'live+config';

/**
 * How it went. partial: one of live and config took it, the other refused (the detail
 * says which and why). started: written before the change is made, so no change goes
 * unrecorded; an entry of the outcome follows it, and a started entry with none after
 * it is a change whose outcome was never known (the console stopped, the disk filled).
 */
export type AuditResult = 'started' | 'applied' | 'partial' | 'failed';

/** One change made to a VM from SETMOV, as the audit log keeps it. */
export interface AuditEntry {
  id: number;
  /** ms since the epoch */
  ts: number;
  /** user@machine of the console or the command */
  actor: string;
  host: string;
  vmUuid: string;
  vmName: string;
  change: AuditChangeKind;
  recommendation: string | null;
  before: number | null;
  after: number;
  scope: AuditScope;
  result: AuditResult;
  detail: string | null;
}
