import { createContext, useContext } from 'react';
import type { View } from './components/view-tabs';
import { noFilters } from './desktops/desktop-filters';
import type { DesktopFilters } from './desktops/desktop-filters';
import type { Range } from './detail/series';

/**
 * Where the console is: a view, the host's or desktop's page open in it, if any, and how
 * that page or list is shown. The location's hash holds it (route-url.ts), so a reload,
 * Back and a link sent to a colleague all come to the same place.
 */
export interface Route {
  view: View;
  /** A host's page (by the host's id), in the overview or the hosts view. */
  host: string | null;
  /** A desktop's page (its host's id and its UUID), in the desktops view. */
  vm: { host: string; uuid: string } | null;
  /** The history range of the open page; 'live' when no page is open. */
  range: Range;
  /** The desktops table's filters, in the desktops view with no page open; none elsewhere. */
  filters: DesktopFilters;
}

/** A view with no page open. */
export const viewRoute = (view: View): Route => ({
  view,
  host: null,
  vm: null,
  range: 'live',
  filters: noFilters,
});

/** Whether a route is a view's own list, with no host's or desktop's page open. */
export const isListRoute = (route: Route): boolean => route.host === null && route.vm === null;

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
export function hostRoute(current: Route | null, hostId: string): Route {
  const view = current?.view === 'hosts' ? 'hosts' : 'overview';
  return { ...viewRoute(view), host: hostId };
}

/** The route that opens a desktop's page, in the desktops view. */
export const vmRoute = (host: string, uuid: string): Route => ({
  ...viewRoute('desktops'),
  vm: { host, uuid },
});
