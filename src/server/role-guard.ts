import { isRequestName, mayCall } from '../shared/contract';
import type { ContractErrorBody, Role } from '../shared/contract';

/**
 * Why a role may not make a request, or null when it may. Checked before the params
 * are validated, so a viewer learns nothing from an admin-only request but the refusal.
 * An unknown name is left to dispatch, which answers it as a bad request.
 */
export function refusalFor(role: Role, name: unknown): ContractErrorBody | null {
  if (!isRequestName(name) || mayCall(role, name)) return null;
  return { code: 'forbidden', message: `${name} needs the admin's link; this is a viewer's` };
}
