import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/app';
import type { InventoryHost } from '../../src/shared/model/host-view';
import { answeringClient } from './answering-client';
import { desktop } from './desktops/desktop-factory';

const host: InventoryHost = {
  id: 'kvm-a',
  source: 'local',
  name: 'kvm-a',
  status: {
    status: 'up',
    reason: null,
    procError: null,
    libvirtError: null,
    retryAt: null,
    failedAttempts: 0,
  },
  identity: null,
  libvirt: null,
  figures: null,
  vms: [2, 4].map((n) => {
    const { host: _host, hostName: _hostName, ...vm } = desktop(n);
    return vm;
  }),
};

/** A backend of one host and two desktops, as far as the pages ask. */
function backend({ inventory = (): unknown => [host] } = {}) {
  return answeringClient((name) => {
    switch (name) {
      case 'inventory':
        return inventory();
      case 'app.getVersion':
        return { version: '0.0.0', name: 'setmov' };
      case 'app.session':
        return { role: 'admin' };
      case 'hosts.list':
        return [{ name: 'kvm-a', ssh: null, libvirtUri: 'qemu:///system', pollIntervalSec: 2 }];
      case 'history':
        return { resolution: 'raw', bucketMs: 1000, points: [] };
      case 'history.devices':
        return { bucketMs: 1000, keptFromMs: 0, disks: [], nics: [] };
      case 'vm.events':
      case 'host.events':
        return [];
      default:
        return null;
    }
  }).client;
}

beforeAll(() => {
  // jsdom lays nothing out: the workspace, which scrolls the tables, is given a
  // window's size, or the tables draw no rows.
  for (const [property, pixels] of [
    ['clientHeight', 800],
    ['clientWidth', 1280],
  ] as const) {
    const original = Object.getOwnPropertyDescriptor(Element.prototype, property);
    Object.defineProperty(HTMLElement.prototype, property, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('workspace') ? pixels : original?.get?.call(this);
      },
    });
  }
  // jsdom has no media queries; the theme asks whether the system is dark.
  window.matchMedia ??= (() => ({
    matches: false,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  })) as unknown as typeof window.matchMedia;
});

// Each test starts at the page's address with no hash, as a console opened afresh.
beforeEach(() => window.history.replaceState(null, '', '/'));

describe('from page to page', () => {
  it("goes from a host to its desktops, from a desktop to its host, and a tab back to the view's table", async () => {
    const user = userEvent.setup();
    render(<App client={backend()} kind="web" />);
    // The overview's host name is the way to its page, which lists its desktops.
    await user.click(await screen.findByRole('button', { name: 'Open kvm-a' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'kvm-a' })).toBeTruthy();
    expect(await screen.findByText('2 desktops on this host')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'desk-04' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-04' })).toBeTruthy();

    // The desktop's host is a link back to the host's page.
    await user.click(screen.getByRole('button', { name: 'Open kvm-a' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'kvm-a' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'desk-02' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-02' })).toBeTruthy();

    // The tab of the view a page is open in takes the admin back to that view's table.
    await user.click(screen.getByRole('tab', { name: 'Desktops' }));
    expect(await screen.findByRole('searchbox', { name: 'Search desktops' })).toBeTruthy();
    expect(screen.queryByRole('heading', { level: 1, name: 'desk-02' })).toBeNull();
  });

  it('says under a lone host that it is this machine, and where to go next', async () => {
    const user = userEvent.setup();
    render(<App client={backend()} kind="web" />);
    expect(await screen.findByText(/kvm-a is the machine this console runs on/)).toBeTruthy();
    const steps = screen.getByRole('region', { name: 'Getting started' });
    await user.click(within(steps).getByRole('button', { name: 'Desktops' }));
    expect(await screen.findByRole('searchbox', { name: 'Search desktops' })).toBeTruthy();
  });
});

const uuid = (n: number): string => desktop(n).uuid;

/** Opens the console at a link, as a pasted link or a reload does. */
function openAt(hash: string, client = backend()) {
  window.history.replaceState(null, '', `/${hash}`);
  render(<App client={client} kind="web" />);
}

/** A search or a range is written into the location once the changes stop. */
const hashBecomes = (hash: string) => waitFor(() => expect(window.location.hash).toBe(hash));

describe('every page has its link', () => {
  it('puts the page opened in the location, one history entry per page, none per range', async () => {
    const user = userEvent.setup();
    render(<App client={backend()} kind="web" />);
    await user.click(await screen.findByRole('tab', { name: 'Desktops' }));
    expect(window.location.hash).toBe('#/desktops');
    const entries = window.history.length;
    await user.click(await screen.findByRole('button', { name: 'Open desk-04' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-04' })).toBeTruthy();
    expect(window.location.hash).toBe(`#/desktops/vm/kvm-a/${uuid(4)}`);
    expect(window.history.length).toBe(entries + 1);
    await user.click(screen.getByRole('button', { name: '1 hour' }));
    await hashBecomes(`#/desktops/vm/kvm-a/${uuid(4)}?range=1h`);
    expect(window.history.length).toBe(entries + 1);
    // The host's page, from the desktop's: in the overview.
    await user.click(screen.getByRole('button', { name: 'Open kvm-a' }));
    expect(window.location.hash).toBe('#/overview/host/kvm-a');
  });

  it("opens the page a link names, in its view's tab, with its range", async () => {
    openAt(`#/desktops/vm/kvm-a/${uuid(2)}?range=24h`);
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-02' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Desktops' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });

  it('opens the desktops table a link names with its search and filters', async () => {
    openAt('#/desktops?q=desk-0&state=running&idle=7');
    const search = (await screen.findByRole('searchbox', {
      name: 'Search desktops',
    })) as HTMLInputElement;
    expect(search.value).toBe('desk-0');
    expect((screen.getByRole('combobox', { name: 'State' }) as HTMLSelectElement).value).toBe(
      'running',
    );
    expect(
      (screen.getByRole('spinbutton', { name: 'Not connected for (days)' }) as HTMLInputElement)
        .value,
    ).toBe('7');
  });

  it('writes the search into the entry it is typed in, and Back returns to it; Forward to the page', async () => {
    const user = userEvent.setup();
    render(<App client={backend()} kind="web" />);
    await user.click(await screen.findByRole('tab', { name: 'Desktops' }));
    const entries = window.history.length;
    const box = await screen.findByRole('searchbox', { name: 'Search desktops' });
    await user.type(box, 'desk');
    await hashBecomes('#/desktops?q=desk');
    expect(window.history.length).toBe(entries);
    // Enter on the one match opens it at once, before the search is written by itself.
    await user.type(box, '-04{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-04' })).toBeTruthy();
    expect(window.history.length).toBe(entries + 1);

    window.history.back();
    const search = (await screen.findByRole('searchbox', {
      name: 'Search desktops',
    })) as HTMLInputElement;
    expect(search.value).toBe('desk-04');
    expect(window.location.hash).toBe('#/desktops?q=desk-04');
    expect(screen.queryByRole('heading', { level: 1, name: 'desk-04' })).toBeNull();

    window.history.forward();
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-04' })).toBeTruthy();
    // The page's own Back goes to the list as it was left.
    await user.click(screen.getByRole('button', { name: /Back to desktops/ }));
    expect(
      ((await screen.findByRole('searchbox', { name: 'Search desktops' })) as HTMLInputElement)
        .value,
    ).toBe('desk-04');
  });

  it('says a stale desktop link leads nowhere, and goes back to the list', async () => {
    const user = userEvent.setup();
    const gone = '00000000-0000-4000-8000-000000000099';
    openAt(`#/desktops/vm/kvm-a/${gone}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Desktop not found' }),
    ).toBeTruthy();
    expect(screen.getByText('kvm-a lists no desktop with this UUID:')).toBeTruthy();
    expect(screen.getByText(gone)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back to desktops' }));
    expect(await screen.findByRole('searchbox', { name: 'Search desktops' })).toBeTruthy();
    expect(window.location.hash).toBe('#/desktops');
  });

  it('offers the desktop under the host that lists it now, for a link to a host saved again', async () => {
    const user = userEvent.setup();
    openAt(`#/desktops/vm/removed-host/${uuid(2)}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Desktop not found' }),
    ).toBeTruthy();
    expect(
      screen.getByText(/No saved host has the id of this desktop’s host \(removed-host\)/),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'desk-02 on kvm-a' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-02' })).toBeTruthy();
    expect(window.location.hash).toBe(`#/desktops/vm/kvm-a/${uuid(2)}`);
  });

  it('says a stale host link leads nowhere, and goes back to the hosts', async () => {
    const user = userEvent.setup();
    openAt('#/hosts/host/gone%2Fhost');
    expect(await screen.findByRole('heading', { level: 1, name: 'Host not found' })).toBeTruthy();
    expect(screen.getByText('gone/host')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back to hosts' }));
    expect(await screen.findByRole('heading', { name: 'Hosts inventory' })).toBeTruthy();
    expect(window.location.hash).toBe('#/hosts');
  });

  it('shows the loading state, not "not found", while the inventory loads', async () => {
    openAt(`#/desktops/vm/kvm-a/${uuid(2)}`, backend({ inventory: () => new Promise(() => {}) }));
    expect(await screen.findByText('Loading hosts…')).toBeTruthy();
    expect(screen.queryByText('Desktop not found')).toBeNull();
  });

  it.each([
    ['a bad escape', '#/desktops/vm/%E0%A4%A/x'],
    ['markup', '#/<script>alert(1)</script><img src=x onerror=alert(1)>'],
    ['10 kB of junk', `#/${'x'.repeat(10_000)}`],
    ['a cut one', '#/desktops/vm/kvm-a'],
  ])('says a damaged link (%s) leads nowhere, and goes to the overview', async (_, hash) => {
    const user = userEvent.setup();
    openAt(hash);
    expect(await screen.findByRole('heading', { level: 1, name: 'No such page' })).toBeTruthy();
    expect(document.querySelectorAll('main script, main img')).toHaveLength(0);
    // What was asked for, cut to a readable length.
    const asked = document.querySelector('.not-found-asked')?.textContent ?? '';
    expect(asked.length).toBeLessThanOrEqual(121);
    await user.click(screen.getByRole('button', { name: 'Go to the overview' }));
    expect(await screen.findByRole('button', { name: 'Open kvm-a' })).toBeTruthy();
    expect(window.location.hash).toBe('#/overview');
  });

  it('follows a hash typed into the address bar', async () => {
    render(<App client={backend()} kind="web" />);
    await screen.findByRole('button', { name: 'Open kvm-a' });
    window.location.hash = `#/desktops/vm/kvm-a/${uuid(4)}`;
    expect(await screen.findByRole('heading', { level: 1, name: 'desk-04' })).toBeTruthy();
  });
});
