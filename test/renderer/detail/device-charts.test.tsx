import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DeviceCharts } from '../../../src/renderer/detail/device-charts';
import { DetailRangeContext } from '../../../src/renderer/detail/detail-range';
import type { Range } from '../../../src/renderer/detail/series';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import type { ContractClient, DeviceHistoryResult } from '../../../src/shared/contract/browser';
import type { VmDiskUsage, VmNicUsage } from '../../../src/shared/model/samples';
import { answeringClient } from '../answering-client';

const uuid = '5e7a0b0d-0000-4000-8000-000000000001';
const entity = { kind: 'vm' as const, uuid };

/** A contract client answering history.devices as given, and noting every request. */
const backend = (answer: () => DeviceHistoryResult) => answeringClient(() => answer());

function history(keptFromMs: number, at: number): DeviceHistoryResult {
  const series = (name: string, bytesPerSec: number) => ({
    name,
    points: [
      { ts: at - 2000, bytesPerSec: 1 },
      { ts: at - 1000, bytesPerSec },
    ],
  });
  return {
    bucketMs: 1000,
    keptFromMs,
    disks: [series('vda', 1500), series('vdb', 2_500_000)],
    nics: [series('vnet0', 300)],
  };
}

const disk = (device: string, bytes: number): VmDiskUsage => ({
  device,
  readBytesPerSec: bytes,
  writeBytesPerSec: 0,
  readIops: 0,
  writeIops: 0,
});
const nic: VmNicUsage = {
  interface: 'vnet0',
  rxBytesPerSec: 1,
  txBytesPerSec: 1,
  rxPacketsPerSec: 0,
  txPacketsPerSec: 0,
};

function show(client: ContractClient, range: Range, ts: number | null, disks: VmDiskUsage[] = []) {
  const tree = (at: number | null, devices: VmDiskUsage[]) => (
    <I18nProvider language="en">
      <DetailRangeContext.Provider value={range}>
        <DeviceCharts client={client} entity={entity} ts={at} disks={devices} nics={[nic]} />
      </DetailRangeContext.Provider>
    </I18nProvider>
  );
  const view = render(tree(ts, disks));
  return { rerender: (at: number, devices: VmDiskUsage[]) => view.rerender(tree(at, devices)) };
}

/** The caption's latest value of a series, as the chart's figure shows it. */
const latestOf = (series: string) =>
  document.querySelector(`.chart-latest[data-series="${series}"]`)?.textContent;

describe('DeviceCharts', () => {
  it("reads a past range's per-device history, one line a disk, and says where it begins", async () => {
    const now = Date.now();
    const { client, calls } = backend(() => history(now - 48 * 3_600_000, now));
    show(client, '7d', null);
    expect(await screen.findByText('Disk by device')).toBeTruthy();
    expect(latestOf('vda')).toBe('vda 1.5 kB/s');
    expect(latestOf('vdb')).toBe('vdb 2.5 MB/s');
    // One interface is the totals again: no graph of it.
    expect(screen.queryByText('Network by interface')).toBeNull();
    expect(screen.getByText(/kept as long as the raw samples/)).toBeTruthy();
    const [name, params] = calls[0] ?? [];
    const asked = params as { fromMs: number; toMs: number; entity: unknown };
    expect(name).toBe('history.devices');
    expect(asked.entity).toEqual(entity);
    expect(asked.toMs - asked.fromMs).toBe(7 * 86_400_000);
  });

  it('live: seeds from the history, then appends each pushed sample', async () => {
    const now = Date.now();
    const { client } = backend(() => history(now - 48 * 3_600_000, now));
    const view = show(client, 'live', null);
    await waitFor(() => expect(latestOf('vdb')).toBe('vdb 2.5 MB/s'));
    // The whole live range is within the raw retention: no note.
    expect(screen.queryByText(/kept as long as the raw samples/)).toBeNull();
    view.rerender(now + 1000, [disk('vda', 4000), disk('vdb', 7000)]);
    await waitFor(() => expect(latestOf('vdb')).toBe('vdb 7 kB/s'));
    expect(latestOf('vda')).toBe('vda 4 kB/s');
  });

  it('shows where the history could not be read', async () => {
    const { client } = backend(() => {
      throw new Error('the store is closed');
    });
    show(client, '24h', null);
    expect((await screen.findByRole('alert')).textContent).toContain('the store is closed');
  });
});
