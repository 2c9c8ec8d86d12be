import type { Desktop } from '../fleet/fleet-store';
import { DAY_MS } from '../../shared/time-ms';

/** The states a desktop can be filtered by: libvirt's, as the inventory names them. */
export const desktopStates = ['running', 'paused', 'shutoff', 'crashed', 'pmsuspended'] as const;

/** The most days "not connected for" takes (ten years: the field's own maximum). */
export const MAX_IDLE_DAYS = 3650;

/** The longest search: a name, host or UUID is far shorter, and the link stays short. */
export const MAX_SEARCH_CHARS = 200;

export interface DesktopFilters {
  /** Part of a name, host or UUID, any case. */
  text: string;
  /** '' for every host. */
  host: string;
  /** '' for every state. */
  state: string;
  connectedNow: boolean;
  /** Only desktops whose last connect is this many days ago or more (never counts); null: off. */
  idleDays: number | null;
}

export const noFilters: DesktopFilters = {
  text: '',
  host: '',
  state: '',
  connectedNow: false,
  idleDays: null,
};

/** The desktops that pass every filter, in their order. */
export function filterDesktops(
  desktops: readonly Desktop[],
  filters: DesktopFilters,
  now: number,
): Desktop[] {
  const text = filters.text.trim().toLowerCase();
  return desktops.filter((vm) => {
    if (filters.host && vm.host !== filters.host) return false;
    if (filters.state && vm.state !== filters.state) return false;
    if (filters.connectedNow && !vm.connectedNow) return false;
    if (filters.idleDays !== null) {
      if (vm.connectedNow) return false;
      if (vm.lct !== null && now - vm.lct < filters.idleDays * DAY_MS) return false;
    }
    if (!text) return true;
    return [vm.name, vm.hostName, vm.uuid].some((field) => field.toLowerCase().includes(text));
  });
}
