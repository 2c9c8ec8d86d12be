import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFile, exportFileName } from '../../../src/backend/history/export-file';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from '../../store/sample-factory';
import { tempDir } from '../../store/temp-db';

describe('exportFile', () => {
  const tmp = tempDir();
  const t0 = Date.UTC(2026, 11, 6, 20, 30, 0);
  let store: Store;

  beforeAll(() => {
    store = Store.open({ path: tmp.file('h.db') });
    const rand = makeRandom(3);
    const events: StoreEvent[] = [];
    for (let k = 0; k < 10; k++) {
      events.push({ type: 'host-sample', sample: makeHostSample(t0 + k * 2000, rand) });
      events.push({ type: 'vm-sample', sample: makeVmSample(1, t0 + k * 2000, rand) });
    }
    store.ingest(events);
  });
  afterAll(() => {
    store.close();
    tmp.remove();
  });

  it("names the file by the VM's name and the range, not by its UUID", () => {
    const file = exportFile(store, { kind: 'vm', uuid: vmUuid(1) }, t0, t0 + 3_600_000, 'csv');
    expect(file.fileName).toBe('desktop-1_2026-12-06T2030-2130.csv');
    expect(file.rows).toBe(10);
  });

  it("writes the range in the page's local time, and the end's date when it differs", () => {
    const nineHoursMin = 9 * 60;
    expect(exportFileName('kvm-host-1', t0, t0 + 3_600_000, nineHoursMin, 'json')).toBe(
      'kvm-host-1_2026-12-07T0530-0630.json',
    );
    expect(exportFileName('desk', t0, t0 + 86_400_000, 0, 'csv')).toBe(
      'desk_2026-12-06T2030-2026-12-07T2030.csv',
    );
  });

  it('makes a name safe for any file system, its letters in any script kept', () => {
    expect(exportFileName('../etc/pass wd', t0, t0 + 60_000, 0, 'csv')).toBe(
      '_etc_pass_wd_2026-12-06T2030-2031.csv',
    );
    expect(exportFileName('데스크-7', t0, t0 + 60_000, 0, 'csv')).toBe(
      '데스크-7_2026-12-06T2030-2031.csv',
    );
  });

  it('says in every CSV row whose samples they are: the VM, its UUID and its host', () => {
    const file = exportFile(store, { kind: 'vm', uuid: vmUuid(1) }, t0, t0 + 4000, 'csv');
    const [header, first] = file.content.trim().split('\n');
    expect(header).toMatch(/^time,ts,vm,uuid,host,cpuHostPercent,/);
    expect(first).toMatch(new RegExp(`^[^,]+,${t0},desktop-1,${vmUuid(1)},kvm-host-1,`));
    const host = exportFile(store, { kind: 'host', key: 'kvm-host-1' }, t0, t0 + 4000, 'csv');
    expect(host.content).toMatch(/^time,ts,host,/);
    expect(host.fileName).toBe('kvm-host-1_2026-12-06T2030-2030.csv');
  });
});
