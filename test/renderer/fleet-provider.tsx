import { useState } from 'react';
import type { ReactNode } from 'react';
import { FleetStore } from '../../src/renderer/fleet/fleet-store';
import { FleetContext } from '../../src/renderer/fleet/use-fleet';
import type { ContractClient } from '../../src/shared/contract/browser';

/** The fleet store a view reads, fed by the test's client, telling readers at once. */
export function WithFleet({ client, children }: { client: ContractClient; children: ReactNode }) {
  const [store] = useState(() => new FleetStore(client, (run) => run()));
  return <FleetContext.Provider value={store}>{children}</FleetContext.Provider>;
}
