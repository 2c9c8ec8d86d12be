import { createContext, useContext, useEffect, useState } from 'react';
import type { ContractClient, Role } from '../shared/contract/browser';

/**
 * The role of the page: what it offers. The backend refuses a viewer's changing
 * requests anyway; this keeps the page from offering what would only be refused.
 * Admin outside a provider: a view tested alone, or shown in the window, offers all.
 */
export const RoleContext = createContext<Role>('admin');

/** Whether the page may offer changes: add or edit hosts, sync, apply, save settings. */
export function useIsAdmin(): boolean {
  return useContext(RoleContext) === 'admin';
}

/** The role app.session answers; a viewer's until then, so nothing is offered early. */
export function useSessionRole(client: ContractClient): Role {
  const [role, setRole] = useState<Role>('viewer');
  useEffect(() => {
    let current = true;
    client.request('app.session').then(
      (session) => current && setRole(session.role),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client]);
  return role;
}
