import { useCallback, useDeferredValue, useMemo, useRef } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { VmDetail } from '../detail/lazy-detail';
import type { Desktop } from '../fleet/fleet-store';
import { hostNames, sameMachineAs, sameMachines } from '../fleet/same-machine';
import { useFleet, useLiveDesktops } from '../fleet/use-fleet';
import { useNow } from '../use-now';
import { MissingDesktop } from '../components/not-found';
import type { Range } from '../detail/series';
import type { DesktopFilters } from './desktop-filters';
import { DesktopsTable } from './desktops-table';

const noDesktops: Desktop[] = [];

/**
 * The desktops table over every host, its figures live while it is shown, and one
 * desktop's page when one is opened (Enter, a double click or its name), or what a link
 * to a desktop the inventory does not list shows instead.
 */
export function DesktopsView({
  client,
  open,
  onOpen: openVm,
  onBack,
  filters,
  onFilters,
  range,
  onRange,
}: {
  client: ContractClient;
  /** The desktop whose page is open, if any. */
  open: { host: string; uuid: string } | null;
  onOpen: (vm: { host: string; uuid: string }) => void;
  onBack: () => void;
  filters: DesktopFilters;
  onFilters: (filters: DesktopFilters) => void;
  /** The open page's history range. */
  range: Range;
  onRange: (range: Range) => void;
}) {
  useLiveDesktops();
  const fleet = useFleet();
  // The table follows the fleet at a lower priority than input: React renders a new
  // snapshot's rows in slices of a few milliseconds, yielding to the browser between
  // them, and drops a half-done render for a newer snapshot. A hundred rows updating
  // twice a second then never make one long task, and a key press or a scroll is
  // handled between slices. The table is memoised, so the urgent render stops here.
  const desktops = useDeferredValue(fleet.state === 'ready' ? fleet.desktops : noDesktops);
  const now = useDeferredValue(useNow(10_000));
  // By value: each snapshot has new hosts, but the table's columns change only with the machines.
  const machines = JSON.stringify(
    fleet.state === 'ready'
      ? [...sameMachineAs(sameMachines(fleet.hosts))].map(([id, others]) => [
          id,
          hostNames(fleet.hosts, others),
        ])
      : [],
  );
  // For each host (by id) of a machine saved twice, the names of the other hosts it is.
  const sameAs = useMemo(
    () => new Map(JSON.parse(machines) as [string, string[]][]) as ReadonlyMap<string, string[]>,
    [machines],
  );
  // Stable: the table's rows are memoised on it.
  const openRef = useRef(openVm);
  openRef.current = openVm;
  const onOpen = useCallback(
    (vm: Desktop) => openRef.current({ host: vm.host, uuid: vm.uuid }),
    [],
  );
  if (fleet.state !== 'ready') return null;
  if (open) {
    const opened = fleet.desktops.find((vm) => vm.host === open.host && vm.uuid === open.uuid);
    if (!opened) {
      return (
        <MissingDesktop
          asked={open}
          hosts={fleet.hosts}
          desktops={fleet.desktops}
          onBack={onBack}
        />
      );
    }
    return (
      <VmDetail
        // Another desktop's page starts afresh: no zoom or sample of the one before.
        key={`${opened.host}/${opened.uuid}`}
        client={client}
        vm={opened}
        onBack={onBack}
        range={range}
        onRange={onRange}
      />
    );
  }
  return (
    <DesktopsTable
      desktops={desktops}
      filters={filters}
      onFilters={onFilters}
      now={now}
      onOpen={onOpen}
      sameMachineAs={sameAs}
    />
  );
}
