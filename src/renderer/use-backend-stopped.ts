import { useEffect, useState } from 'react';
import type { ContractClient, EventPayload } from '../shared/contract/browser';

/** The reason the backend announced it is stopping, once it has. */
export function useBackendStopped(client: ContractClient): EventPayload<'app.stopping'> | null {
  const [stopped, setStopped] = useState<EventPayload<'app.stopping'> | null>(null);
  useEffect(() => client.subscribe('app.stopping', setStopped), [client]);
  return stopped;
}
