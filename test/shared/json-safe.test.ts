import { describe, expect, it } from 'vitest';
import type { AssertNever, IsJsonSafe, NotJsonSafe } from '../../src/shared/contract/json';
import type { RequestMap } from '../../src/shared/contract/requests';
import type { HostStatus, VmInventoryEntry } from '../../src/shared/model/engine-events';
import type { SyncStatus } from '../../src/shared/model/sync-status';

// These checks run in `npm run typecheck`: each line fails to compile if the rule breaks.
const modelIsJson: [
  IsJsonSafe<HostStatus>,
  IsJsonSafe<VmInventoryEntry>,
  IsJsonSafe<SyncStatus>,
  IsJsonSafe<RequestMap[keyof RequestMap]['result']>,
] = [true, true, true, true];
const bigintIsNot: IsJsonSafe<{ memoryKiB: bigint }> = false;
const dateIsNot: IsJsonSafe<{ at: Date }> = false;
const nestedIsNot: IsJsonSafe<{ hosts: { node: { memoryKiB: bigint } }[] }> = false;

interface BadMap {
  good: { params: undefined; result: { n: number } };
  bad: { params: undefined; result: { memoryKiB: bigint } };
}
// @ts-expect-error a bigint result does not compile: NotJsonSafe<BadMap> is 'bad'
type _Refused = AssertNever<NotJsonSafe<BadMap, 'result'>>;
const named: NotJsonSafe<BadMap, 'result'> = 'bad';

describe('JSON by type', () => {
  it('holds for the model and the contract, and not for bigint or Date', () => {
    expect(modelIsJson).toEqual([true, true, true, true]);
    expect([bigintIsNot, dateIsNot, nestedIsNot]).toEqual([false, false, false]);
    expect(named).toBe('bad');
  });
});
