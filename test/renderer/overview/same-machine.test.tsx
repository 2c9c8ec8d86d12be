import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { StatusBar } from '../../../src/renderer/components/status-bar';
import { FilteredTable } from '../desktops/filtered-table';
import type { Desktop, FleetHost } from '../../../src/renderer/fleet/fleet-store';
import { emptyTrend } from '../../../src/renderer/fleet/host-trend';
import {
  desktopsOncePerMachine,
  sameMachineAs,
  sameMachines,
} from '../../../src/renderer/fleet/same-machine';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { HostsInventory } from '../../../src/renderer/overview/hosts-inventory';
import { OverviewTable } from '../../../src/renderer/overview/overview-table';
import { countVms } from '../../../src/shared/model/vm-counts';
import { answeringClient } from '../answering-client';
import { desktop } from '../desktops/desktop-factory';

const MACHINE = '1b2c3d4e-0000-4000-8000-00000000f001';
const OTHER = '1b2c3d4e-0000-4000-8000-00000000f002';

function host(name: string, hostUuid: string | null, vms: Desktop[] = []): FleetHost {
  return {
    id: name,
    source: 'local',
    name,
    status: {
      status: 'up',
      reason: null,
      procError: null,
      libvirtError: null,
      retryAt: null,
      failedAttempts: 0,
    },
    identity: null,
    libvirt: { hostname: 'kvm', libvirtVersion: '9.0.0', hypervisorVersion: '7.2.0', hostUuid },
    figures: null,
    vms: countVms(vms),
    trend: emptyTrend(),
  };
}

/** Desktops 1–3 as each of the given saved hosts lists them. */
const listedUnder = (...names: string[]): Desktop[] =>
  names.flatMap((name) => [1, 2, 3].map((n) => desktop(n, { host: name, connectedNow: n === 1 })));

function inLanguage(language: 'en' | 'ko', children: ReactNode) {
  return render(<I18nProvider language={language}>{children}</I18nProvider>);
}

const noop = () => undefined;

describe('saved hosts of one machine', () => {
  it('are the hosts whose daemons name one host UUID, in the fleet’s order', () => {
    const hosts = [
      host('local', MACHINE),
      host('elsewhere', OTHER),
      host('unknown', null),
      host('unknown-too', null),
      host('kvm-ssh', MACHINE),
    ];
    expect(sameMachines(hosts)).toEqual([{ hostUuid: MACHINE, hosts: ['local', 'kvm-ssh'] }]);
    expect(sameMachineAs(sameMachines(hosts))).toEqual(
      new Map([
        ['local', ['kvm-ssh']],
        ['kvm-ssh', ['local']],
      ]),
    );
    expect(sameMachines([host('a', MACHINE), host('b', OTHER)])).toEqual([]);
  });

  it('list each desktop once per machine; hosts without a UUID are never merged', () => {
    const hosts = [host('local', MACHINE), host('kvm-ssh', MACHINE), host('lab', null)];
    const desktops = [...listedUnder('local', 'kvm-ssh'), ...listedUnder('lab')];
    const once = desktopsOncePerMachine(desktops, hosts);
    expect(once.map((vm) => `${vm.host} ${vm.name}`)).toEqual([
      'local desk-01',
      'local desk-02',
      'local desk-03',
      'lab desk-01',
      'lab desk-02',
      'lab desk-03',
    ]);
    // Nothing to merge: the very array, so nothing is copied on every snapshot.
    const apart = [host('local', MACHINE), host('kvm-ssh', OTHER)];
    expect(desktopsOncePerMachine(desktops, apart)).toBe(desktops);
  });

  it('are named in a banner over the overview and the hosts inventory', () => {
    const hosts = [host('local', MACHINE), host('kvm-ssh', MACHINE), host('lab', OTHER)];
    inLanguage('en', <OverviewTable hosts={hosts} onAdd={noop} onEdit={noop} onOpen={noop} />);
    expect(screen.getByTestId('same-machine').textContent).toBe(
      `local and kvm-ssh are the same machine (libvirt host UUID ${MACHINE}): its desktops are listed under each of them. Keep one of them and remove the others.`,
    );
    const inventory = inLanguage('ko', <HostsInventory hosts={hosts} onOpen={noop} />);
    expect(within(inventory.container).getByTestId('same-machine').textContent).toBe(
      `local 및 kvm-ssh은(는) 같은 머신입니다(libvirt 호스트 UUID ${MACHINE}). 이 머신의 데스크톱이 각 호스트 아래에 중복으로 표시됩니다. 하나만 남기고 나머지는 삭제하세요.`,
    );
  });

  it('get no banner when every machine is saved once', () => {
    const hosts = [host('local', MACHINE), host('lab', OTHER), host('new', null)];
    inLanguage('en', <OverviewTable hosts={hosts} onAdd={noop} onEdit={noop} onOpen={noop} />);
    inLanguage('en', <HostsInventory hosts={hosts} onOpen={noop} />);
    expect(screen.queryByTestId('same-machine')).toBeNull();
  });

  it('count their desktops once in the status bar, and say so', () => {
    const { client } = answeringClient(() => null);
    const local = listedUnder('local');
    const twice = listedUnder('local', 'kvm-ssh');
    const fleet = {
      state: 'ready' as const,
      hosts: [host('local', MACHINE, local), host('kvm-ssh', MACHINE, local)],
      desktops: [...twice, desktop(4, { host: 'kvm-ssh', state: 'shutoff' })],
    };
    inLanguage('en', <StatusBar client={client} fleet={fleet} />);
    const desktops = screen.getByTestId('status-desktops');
    // desk-04 is listed under kvm-ssh alone: still one machine's, still counted.
    expect(desktops.textContent).toBe('Desktops running: 3 / 4');
    expect(desktops.title).toBe(
      'A desktop listed under several saved hosts of one machine is counted once',
    );
    expect(screen.getByTestId('status-connected').textContent).toBe('Connected now: 1');
  });

  it('count every desktop when the hosts are different machines', () => {
    const { client } = answeringClient(() => null);
    const fleet = {
      state: 'ready' as const,
      hosts: [host('local', MACHINE), host('lab', OTHER)],
      desktops: listedUnder('local', 'lab'),
    };
    inLanguage('en', <StatusBar client={client} fleet={fleet} />);
    expect(screen.getByTestId('status-desktops').textContent).toBe('Desktops running: 6 / 6');
    expect(screen.getByTestId('status-desktops').title).toBe('');
  });

  it('have their rows in the desktops table marked with the other host', () => {
    const others = sameMachineAs(sameMachines([host('local', MACHINE), host('kvm-ssh', MACHINE)]));
    inLanguage(
      'en',
      <FilteredTable
        desktops={[...listedUnder('local', 'kvm-ssh'), desktop(5, { host: 'lab' })]}
        now={0}
        sameMachineAs={others}
      />,
    );
    const hostCell = (host: string, uuid: string) =>
      document.querySelector(`tr[data-host="${host}"][data-uuid="${uuid}"] td[data-column="host"]`)
        ?.textContent;
    expect(hostCell('local', desktop(1).uuid)).toBe('local same machine as kvm-ssh');
    expect(hostCell('kvm-ssh', desktop(1).uuid)).toBe('kvm-ssh same machine as local');
    expect(hostCell('lab', desktop(5).uuid)).toBe('lab');
    expect(screen.getAllByTestId('same-machine-mark')).toHaveLength(6);
  });
});
