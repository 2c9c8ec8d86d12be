import { describe, expect, it } from 'vitest';
import {
  adminOnlyRequests,
  mayCall,
  readOnlyRequests,
  requestSchemas,
} from '../../src/shared/contract';

describe('request roles', () => {
  it('classifies every request as read-only or admin-only, never both', () => {
    for (const name of Object.keys(requestSchemas)) {
      const classes = [readOnlyRequests.has(name as never), adminOnlyRequests.has(name as never)];
      expect(classes.filter(Boolean), name).toHaveLength(1);
    }
    expect(readOnlyRequests.size + adminOnlyRequests.size).toBe(Object.keys(requestSchemas).length);
  });

  it('lets an admin call everything and a viewer only the read-only requests', () => {
    for (const name of adminOnlyRequests) {
      expect(mayCall('admin', name), name).toBe(true);
      expect(mayCall('viewer', name), name).toBe(false);
    }
    for (const name of readOnlyRequests) expect(mayCall('viewer', name), name).toBe(true);
  });

  it('keeps every request that changes hosts, settings, sync or a VM admin-only', () => {
    for (const name of [
      'hosts.add',
      'hosts.update',
      'hosts.remove',
      'hosts.test',
      'hosts.acceptKey',
      'settings.set',
      'sync.set',
      'sync.remove',
      'sync.test',
      'sync.init',
      'sync.now',
      'analysis.apply',
    ] as const) {
      expect(adminOnlyRequests.has(name), name).toBe(true);
    }
    expect(readOnlyRequests.has('events.subscribe')).toBe(true);
    expect(readOnlyRequests.has('app.session')).toBe(true);
  });
});
