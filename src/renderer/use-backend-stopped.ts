import { useEffect, useState } from 'react';
import type { ContractClient, EventPayload } from '../shared/contract/browser';

/** The reason the backend announced it is stopping, until the page reaches it again. */
export function useBackendStopped(client: ContractClient): EventPayload<'app.stopping'> | null {
  const [stopped, setStopped] = useState<EventPayload<'app.stopping'> | null>(null);
  useEffect(() => {
    const stops = [
      client.subscribe('app.stopping', setStopped),
      client.subscribe('connection.restored', () => setStopped(null)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client]);
  return stopped;
}
