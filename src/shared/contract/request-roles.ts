import type { RequestName } from './requests';

/**
 * Who holds the token a page came in with. An admin may do everything; a viewer sees
 * the console but changes nothing and reaches nothing new (no host, settings, sync or
 * apply request), so the viewer's link can be handed to a team.
 */
export type Role = 'admin' | 'viewer';

/**
 * Every request, classified. A Record keyed by every name makes a new request that is
 * not classified here a compile error, so nothing can reach a viewer by being forgotten.
 * Admin-only is anything that changes saved state or a VM, and anything that reaches out
 * from the backend to an address or file the caller names (a host test, a sync test).
 */
const access: Record<RequestName, 'read-only' | 'admin-only'> = {
  'app.getVersion': 'read-only',
  'app.status': 'read-only',
  'app.session': 'read-only',
  'hosts.list': 'read-only',
  'hosts.add': 'admin-only',
  'hosts.update': 'admin-only',
  'hosts.remove': 'admin-only',
  'hosts.test': 'admin-only',
  'hosts.acceptKey': 'admin-only',
  // The backend user's ~/.ssh/config: only the add-host dialog offers it.
  'hosts.sshConfig': 'admin-only',
  inventory: 'read-only',
  history: 'read-only',
  'history.devices': 'read-only',
  'vm.events': 'read-only',
  'host.events': 'read-only',
  'settings.get': 'read-only',
  'settings.set': 'admin-only',
  'events.subscribe': 'read-only',
  'sync.get': 'read-only',
  'sync.set': 'admin-only',
  'sync.remove': 'admin-only',
  'sync.test': 'admin-only',
  'sync.init': 'admin-only',
  'sync.now': 'admin-only',
  'central.get': 'read-only',
  'central.set': 'admin-only',
  'central.remove': 'admin-only',
  'central.test': 'admin-only',
  export: 'read-only',
  'analysis.run': 'read-only',
  'analysis.preview': 'read-only',
  'analysis.apply': 'admin-only',
  'analysis.memoryVsDisk': 'read-only',
  'audit.list': 'read-only',
};

function named(kind: 'read-only' | 'admin-only'): ReadonlySet<RequestName> {
  return new Set((Object.keys(access) as RequestName[]).filter((name) => access[name] === kind));
}

/** What a viewer may call. */
export const readOnlyRequests = named('read-only');

/** What only an admin may call. */
export const adminOnlyRequests = named('admin-only');

export function mayCall(role: Role, name: RequestName): boolean {
  return role === 'admin' || !adminOnlyRequests.has(name);
}
