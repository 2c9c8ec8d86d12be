import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AnalysisView } from '../../../src/renderer/analysis/analysis-view';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { RoleContext } from '../../../src/renderer/use-role';
import type { ContractClient } from '../../../src/shared/contract/browser';
import type { AnalysisResult } from '../../../src/shared/model/analysis-view';
import type { AuditEntry } from '../../../src/shared/model/audit-entry';
import type { HostPrefill } from '../../../src/renderer/connect/host-form';
import { answeringClient } from '../answering-client';
import { WithFleet } from '../fleet-provider';
import {
  analysis,
  auditEntry,
  centralHost,
  DAY,
  HOUR,
  now,
  preview,
  uuid,
  young,
} from './analysis-fixture';

function backend(overrides: Partial<Record<string, (params: unknown) => unknown>> = {}) {
  const audit: AuditEntry[] = [];
  const answers: Record<string, (params: unknown) => unknown> = {
    inventory: () => [],
    // The overview's sparklines, seeded from the hosts' history.
    history: () => ({ resolution: 'raw', bucketMs: 0, points: [] }),
    'analysis.run': () => analysis,
    'audit.list': () => audit,
    'analysis.preview': (p) => preview((p as { scope: string }).scope),
    'analysis.apply': (p) => {
      const entry = auditEntry(1, {
        recommendation: (p as { id: string }).id,
        scope: (p as { scope: AuditEntry['scope'] }).scope,
      });
      audit.push(entry);
      return entry;
    },
    ...overrides,
  };
  return answeringClient((name, params) => answers[name]?.(params) ?? null);
}

function show(client: ContractClient, onConnect: (prefill: HostPrefill) => void = () => {}) {
  render(
    <I18nProvider language="en">
      <WithFleet client={client}>
        <AnalysisView client={client} onConnect={onConnect} />
      </WithFleet>
    </I18nProvider>,
  );
}

describe('AnalysisView', () => {
  it('offers a viewer the recommendations but no Apply', async () => {
    const { client } = backend();
    render(
      <I18nProvider language="en">
        <RoleContext.Provider value="viewer">
          <WithFleet client={client}>
            <AnalysisView client={client} onConnect={() => {}} />
          </WithFleet>
        </RoleContext.Provider>
      </I18nProvider>,
    );
    await screen.findByRole('table', { name: 'Recommendations on kvm-a' });
    expect(screen.queryAllByRole('button', { name: /^Apply / })).toEqual([]);
  });

  it("offers to connect a central-only host instead of applying to its desktops, with the host's address", async () => {
    const user = userEvent.setup();
    const { client, calls } = backend({
      inventory: () => [centralHost('kvm-a', [uuid(1), uuid(4)])],
    });
    const asked: HostPrefill[] = [];
    show(client, (prefill) => asked.push(prefill));
    const onA = await screen.findByRole('table', { name: 'Recommendations on kvm-a' });
    await waitFor(() =>
      expect(within(onA).queryAllByRole('button', { name: /^Apply / })).toEqual([]),
    );
    expect(screen.getByTestId('analysis-central-note').textContent).toMatch(
      /^kvm-a is read from the central database/,
    );
    await user.click(
      within(onA).getByRole('button', { name: 'Connect kvm-a to apply Less memory to desk-big' }),
    );
    expect(asked).toEqual([{ name: 'kvm-a', host: '192.0.2.7' }]);
    // The hosts this console watches keep their Apply, and nothing was asked to change.
    const onB = screen.getByRole('table', { name: 'Recommendations on kvm-b' });
    expect(within(onB).getAllByRole('button', { name: /^Apply / }).length).toBeGreaterThan(0);
    expect(calls.map(([name]) => name)).not.toContain('analysis.preview');
  });

  it('lists the recommendations per host with their numbers, filters by kind, lists VMs still waiting', async () => {
    const user = userEvent.setup();
    const { client } = backend();
    show(client);
    const onA = await screen.findByRole('table', { name: 'Recommendations on kvm-a' });
    const rows = within(onA).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]?.textContent)).toEqual(
      expect.arrayContaining(['Fewer vCPUs', 'Less memory']),
    );
    const less = rows.find(
      (r) => r.dataset.recommendation === `${uuid(1)}:less-memory`,
    ) as HTMLElement;
    expect(less.textContent).toMatch(/8 GiB → 2\.1 GiB/);
    expect(less.textContent).toMatch(
      /Daily peak of used memory 1\.5 GiB \(p95; highest 1\.5 GiB\) of 8 GiB/,
    );
    expect(screen.getByRole('table', { name: 'Recommendations on kvm-b' })).toBeTruthy();
    expect(screen.getByText('1 VM without enough history yet')).toBeTruthy();
    expect(
      screen.getAllByText((_, e) =>
        /^20 min of history, 1 hr needed · ready at \d/.test(e?.textContent ?? ''),
      ),
    ).toHaveLength(1);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'less-memory');
    const kinds = screen
      .getAllByRole('row')
      .filter((r) => r.dataset.recommendation)
      .map((r) => r.dataset.recommendation?.split(':')[1]);
    expect(new Set(kinds)).toEqual(new Set(['less-memory']));
    // Idle advice has no size to set: no Apply button.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'all');
    expect(screen.queryByRole('button', { name: /^Apply Never connected/ })).toBeNull();
  });

  it('previews the exact change, re-reads it for another scope, applies only on Apply, and logs it', async () => {
    const user = userEvent.setup();
    const { client, calls } = backend();
    show(client);
    await user.click(await screen.findByRole('button', { name: 'Apply Less memory to desk-big' }));
    const dialog = await screen.findByRole('dialog', { name: 'Apply to desk-big' });
    await waitFor(() =>
      expect(within(dialog).getByTestId('apply-change').textContent).toBe('Memory 8 GiB → 2 GiB'),
    );
    expect(within(dialog).getAllByRole('listitem')).toHaveLength(2);
    expect(calls.filter(([n]) => n === 'analysis.apply')).toHaveLength(0);

    await user.click(within(dialog).getByRole('radio', { name: 'Running guest' }));
    await waitFor(() => expect(within(dialog).getAllByRole('listitem')).toHaveLength(1));
    expect(calls.filter(([n]) => n === 'analysis.preview').at(-1)?.[1]).toEqual({
      id: `${uuid(1)}:less-memory`,
      windowMs: 7 * DAY,
      scope: 'live',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(within(dialog).getByTestId('apply-result').textContent).toMatch(
        /^Applied \(Running guest\)/,
      ),
    );
    expect(calls.filter(([n]) => n === 'analysis.apply')).toEqual([
      ['analysis.apply', { id: `${uuid(1)}:less-memory`, windowMs: 7 * DAY, scope: 'live' }],
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    const log = await screen.findByRole('table', { name: 'Changes made (audit log)' });
    await waitFor(() => expect(within(log).getAllByRole('row')).toHaveLength(2));
    expect(within(log).getAllByRole('row')[1]?.textContent).toMatch(
      /desk-big.*Memory 8 GiB → 2 GiB.*Running guest.*Applied/,
    );
  });

  it('shows why a preview cannot be made, and offers no Apply then', async () => {
    const user = userEvent.setup();
    const { client } = backend({
      'analysis.preview': () => {
        throw new Error('desk-big (…) is not on this libvirt');
      },
    });
    show(client);
    await user.click(await screen.findByRole('button', { name: 'Apply Less memory to desk-big' }));
    const dialog = await screen.findByRole('dialog', { name: 'Apply a recommendation' });
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/not on this libvirt/);
    expect(
      (within(dialog).getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('says how many desktops it could not analyse yet, why and when, and offers no window shorter than that', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ ...young, uuid: uuid(i), name: `d-${i}` }));
    const { client } = backend({ 'analysis.run': () => ({ ...analysis, vms: six }) });
    show(client);
    expect(
      await screen.findByText(
        /^No desktop could be analysed yet: all 6 have less than the 1 hr of history the analysis needs\. The first is ready at \d/,
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/Nothing to change/)).toBeNull();
    const windows = screen.getByRole('combobox', { name: 'History' }) as HTMLSelectElement;
    expect([...windows.options].map((o) => o.textContent)).toEqual([
      'Last 24 hours',
      'Last 7 days',
      'Last 30 days',
    ]);
    expect(screen.getByTestId('analysis-needs').textContent).toBe(
      'A desktop needs at least 1 hr of history to be analysed.',
    );
  });

  it('says more vCPUs go on a hot host, counts the running VMs, and nets the advice', async () => {
    const { client } = backend();
    show(client);
    const onB = await screen.findByRole('region', { name: 'Recommendations on kvm-b' });
    const busy = within(onB)
      .getAllByRole('row')
      .find((r) => r.dataset.recommendation === `${uuid(2)}:more-vcpus`) as HTMLElement;
    expect(busy.textContent).toMatch(
      /Its host kvm-b is hot \(p95 CPU 100%, memory 40%\): another vCPU there competes for the same busy CPUs, and no other host has room for it\./,
    );
    expect(onB.querySelector('.host-summary')?.textContent).toMatch(
      /its 3 running VMs are given 12 vCPUs on 16 CPUs \(0\.75×\) · the advice frees 1 vCPU and 0 B, adds 1 vCPU and 2 GiB: net 0 vCPUs, \+2 GiB/,
    );
  });

  it('says only the way the advice moves resources, and nothing when it moves none', async () => {
    const moved: AnalysisResult = {
      ...analysis,
      hosts: analysis.hosts.map((h) =>
        h.name === 'kvm-a'
          ? {
              ...h,
              freedVcpus: 2,
              freedMemoryBytes: 3 * 2 ** 30,
              addedVcpus: 0,
              addedMemoryBytes: 0,
            }
          : { ...h, freedVcpus: 0, freedMemoryBytes: 0, addedVcpus: 0, addedMemoryBytes: 0 },
      ),
    };
    const { client } = backend({ 'analysis.run': () => moved });
    show(client);
    const onA = await screen.findByRole('region', { name: 'Recommendations on kvm-a' });
    const summaryA = onA.querySelector('.host-summary')?.textContent ?? '';
    expect(summaryA).toMatch(/\(0\.75×\) · the advice frees 2 vCPUs and 3 GiB$/);
    const onB = screen.getByRole('region', { name: 'Recommendations on kvm-b' });
    expect(onB.querySelector('.host-summary')?.textContent).toMatch(/\(0\.75×\)$/);
    // A guest that sees all its memory: no "does not see 0 B of it".
    const big = onA.querySelector(`[data-recommendation="${uuid(1)}:less-memory"]`);
    expect(big?.textContent).toMatch(/\(p95; highest [\d.]+ GiB\) of 8 GiB\./);
    expect(big?.textContent).not.toMatch(/does not see/);
  });

  it('charts the history the VM has, from its first minute, not the whole window', async () => {
    const user = userEvent.setup();
    const short: AnalysisResult = {
      ...analysis,
      vms: analysis.vms.map((v) =>
        v.uuid === uuid(1) && v.status === 'analysed'
          ? { ...v, figures: { ...v.figures, historyFromMs: now - HOUR } }
          : v,
      ),
    };
    const { client, calls } = backend({
      'analysis.run': () => short,
      history: () => ({ resolution: '1m', bucketMs: 60_000, points: [] }),
    });
    show(client);
    await user.click(
      await screen.findByRole('button', { name: 'History behind Fewer vCPUs for desk-big' }),
    );
    await waitFor(() => expect(calls.some(([n]) => n === 'history')).toBe(true));
    expect(calls.find(([n]) => n === 'history')?.[1]).toMatchObject({
      fromMs: now - HOUR,
      toMs: now,
    });
  });
});
