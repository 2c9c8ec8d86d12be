import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/app';
import type { InventoryHost } from '../../src/shared/model/host-view';
import { answeringClient } from './answering-client';
import { desktop } from './desktops/desktop-factory';

const host: InventoryHost = {
  id: 'kvm-a',
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
function backend() {
  return answeringClient((name) => {
    switch (name) {
      case 'inventory':
        return [host];
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
