import { useCallback, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { VmDetail } from '../detail/lazy-detail';
import type { Desktop } from '../fleet/fleet-store';
import { useFleet, useLiveDesktops } from '../fleet/use-fleet';
import { useNow } from '../use-now';
import { DesktopsTable } from './desktops-table';

/**
 * The desktops table over every host, its figures live while it is shown, and one
 * desktop's page when one is opened (Enter, a double click or its name).
 */
export function DesktopsView({ client }: { client: ContractClient }) {
  useLiveDesktops();
  const fleet = useFleet();
  const now = useNow(10_000);
  const [open, setOpen] = useState<{ host: string; uuid: string } | null>(null);
  // Stable: the table's rows are memoised on it.
  const onOpen = useCallback((vm: Desktop) => setOpen({ host: vm.host, uuid: vm.uuid }), []);
  if (fleet.state !== 'ready') return null;
  const opened =
    open && fleet.desktops.find((vm) => vm.host === open.host && vm.uuid === open.uuid);
  if (opened) return <VmDetail client={client} vm={opened} onBack={() => setOpen(null)} />;
  return <DesktopsTable desktops={fleet.desktops} now={now} onOpen={onOpen} />;
}
