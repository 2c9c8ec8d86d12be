import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FleetHost } from '../../../src/renderer/fleet/fleet-store';
import { emptyTrend } from '../../../src/renderer/fleet/host-trend';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { OverviewTable } from '../../../src/renderer/overview/overview-table';
import { countVms } from '../../../src/shared/model/vm-counts';
import { desktop } from '../desktops/desktop-factory';

const noop = () => undefined;

/** A host read from the central database: no VM memory sizes, sums for disk and network. */
function centralHost(name: string, status: 'up' | 'stale', sampleTs: number): FleetHost {
  return {
    id: `id-${name}`,
    source: 'central',
    name,
    status: {
      status,
      reason: status === 'stale' ? 'no sample in the central database since …' : null,
      procError: null,
      libvirtError: null,
      retryAt: null,
      failedAttempts: 0,
    },
    identity: {
      hostname: 'vm',
      primaryIp: '192.0.2.2',
      cpuCount: 8,
      cpuModel: null,
      memoryTotalBytes: 32 * 2 ** 30,
      kernelRelease: '',
    },
    libvirt: null,
    figures: {
      ts: sampleTs,
      cpuPercent: 40,
      memUsedPercent: 50,
      diskReadBytesPerSec: null,
      diskWriteBytesPerSec: null,
      netRxBytesPerSec: null,
      netTxBytesPerSec: null,
      diskBytesPerSec: 2_000_000,
      netBytesPerSec: 30_000,
    },
    vms: countVms([1, 2].map((n) => desktop(n, { host: name, vcpus: 4 }))),
    trend: emptyTrend(),
  };
}

describe('a host read from the central database, in the overview', () => {
  it('says when its last sample was (the clock, the date on hover) when it is stale', () => {
    const sampleTs = Date.now() - 5 * 60_000;
    render(
      <I18nProvider language="en">
        <OverviewTable
          hosts={[centralHost('rack 4', 'stale', sampleTs)]}
          onAdd={noop}
          onEdit={noop}
          onOpen={noop}
        />
      </I18nProvider>,
    );
    const reason = document.querySelector('tr[data-host="rack 4"] .status-reason');
    expect(reason?.textContent).toMatch(/^last sample \d{1,2}:\d\d:\d\d [AP]M$/);
    expect(reason?.getAttribute('title')).toMatch(/\d{4}/);
    expect(screen.getByText('Stale')).toBeTruthy();
  });

  it('shows its vCPU overcommit and no memory allocation it does not know', () => {
    render(
      <I18nProvider language="en">
        <OverviewTable
          hosts={[centralHost('rack 4', 'up', Date.now())]}
          onAdd={noop}
          onEdit={noop}
          onOpen={noop}
        />
      </I18nProvider>,
    );
    const overcommit = screen.getByTestId('host-overcommit');
    expect(overcommit.textContent).toBe('8 / 8 vCPU (1×)');
    expect(document.querySelector('tr[data-host="rack 4"] .row-actions')?.textContent).toBe(
      'central',
    );
  });
});
