import { centralWidth } from './central-columns';
import { datetimeText, fitKey, fitText, integerValue, uuidProblem } from './central-values';
import type { T1Row, T3Row } from './outbox';

/** A t1_host row made valid for its columns (central-columns.ts), ready to bind. */
export interface T1Values {
  hostIp: string;
  hostName: string;
  vmc: number;
  cores: number | null;
  memoryBytes: number | null;
}

/** A t3_vm row made valid for its columns, ready to bind. */
export interface T3Values {
  uuid: string;
  hostIp: string;
  name: string;
  state: string;
  lct: string | null;
  connectedNow: 0 | 1;
  vcpus: number | null;
  lastSeen: string | null;
}

/** host_ip as every table writes it: t1's key, and what t2 and t3 refer to. */
export function centralHostIp(hostIp: unknown): string {
  return fitKey(String(hostIp), centralWidth('t1_host', 'host_ip'));
}

/** The t1 row, or why it cannot be written. */
export function t1Values(h: T1Row): T1Values | string {
  const vmc = integerValue(h.vmc, 32);
  if (vmc === null) return `running VM count ${String(h.vmc)} is out of INT range`;
  return {
    hostIp: centralHostIp(h.hostIp),
    hostName: fitText(String(h.hostName), centralWidth('t1_host', 'host_name')),
    vmc,
    cores: integerValue(h.cores, 32),
    memoryBytes: integerValue(h.memoryBytes, 64),
  };
}

/** The t3 row, or why it cannot be written (a UUID that cannot be its key). */
export function t3Values(v: T3Row): T3Values | string {
  const problem = uuidProblem(v.uuid);
  if (problem) return problem;
  return {
    uuid: v.uuid,
    hostIp: centralHostIp(v.hostIp),
    name: fitText(String(v.name), centralWidth('t3_vm', 'name')),
    state: fitText(String(v.state), centralWidth('t3_vm', 'state')),
    // A time MySQL cannot hold is no time at all: lct and last_seen keep their old value.
    lct: datetimeText(v.lct),
    connectedNow: v.connectedNow ? 1 : 0,
    vcpus: integerValue(v.vcpus, 32),
    lastSeen: datetimeText(v.lastSeen),
  };
}
