import { createContext, useContext } from 'react';
import type { View } from './components/view-tabs';

/** Where the console is: a view, and the host's or desktop's page open in it, if any. */
export interface Route {
  view: View;
  /** A host's page (by the host's id), in the overview or the hosts view. */
  host: string | null;
  /** A desktop's page (its host's id and its UUID), in the desktops view. */
  vm: { host: string; uuid: string } | null;
}

/** A view with no page open. */
export const viewRoute = (view: View): Route => ({ view, host: null, vm: null });

/** The ways from one page to another: a VM's host, a host's VMs. */
export interface Navigation {
  openHost(hostId: string): void;
  openVm(host: string, uuid: string): void;
}

export const NavigationContext = createContext<Navigation>({
  openHost: () => undefined,
  openVm: () => undefined,
});

export const useNavigation = (): Navigation => useContext(NavigationContext);

/** The route that opens a host's page: in the view the admin is in, if it lists hosts. */
export function hostRoute(current: Route, hostId: string): Route {
  const view = current.view === 'hosts' ? 'hosts' : 'overview';
  return { view, host: hostId, vm: null };
}
