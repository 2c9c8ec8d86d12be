import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { analyzeVm } from '../../../src/analysis/vm-analysis';
import type { VmHistory } from '../../../src/analysis/vm-analysis';
import { AnalysisView } from '../../../src/renderer/analysis/analysis-view';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { RoleContext } from '../../../src/renderer/use-role';
import type { ContractClient } from '../../../src/shared/contract/browser';
import { answeringClient } from '../answering-client';
import type { AnalysisResult, ApplyPreview } from '../../../src/shared/model/analysis-view';
import type { AuditEntry } from '../../../src/shared/model/audit-entry';

const GiB = 1024 ** 3;
const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 3, 12);

/** A week of a VM's minutes: CPU and used memory constant, as given. */
function vm(
  uuid: string,
  name: string,
  host: string,
  cpu: number,
  used: number,
  rest: Partial<VmHistory> = {},
) {
  const points = Array.from({ length: 7 * 1440 }, (_, m) => ({
    ts: now - (7 * 1440 - m) * 60_000,
    cpuGuestPercent: cpu,
    memGuestUsedMaxBytes: used,
    memGuestTotalBytes: null,
    memAllocatedBytes: 8 * GiB,
    diskBytesPerSec: 0,
    netBytesPerSec: 0,
    swapInBytesPerSec: 0,
    majorFaultsPerSec: 0,
  }));
  return analyzeVm(
    {
      uuid,
      name,
      host,
      vcpus: 4,
      memAllocatedBytes: 8 * GiB,
      lct: now - DAY,
      connectedNow: false,
      points,
      displaySpans: [],
      hostStealPercentP95: null,
      ...rest,
    },
    now,
  );
}

const uuid = (n: number) => `5e7a0b0d-0000-4000-8000-00000000000${n}`;
const analysis: AnalysisResult = {
  at: now,
  windowMs: 7 * DAY,
  vms: [
    vm(uuid(1), 'desk-big', 'kvm-a', 3, 1.5 * GiB),
    vm(uuid(2), 'desk-busy', 'kvm-b', 40, 6 * GiB),
    {
      uuid: uuid(3),
      name: 'desk-new',
      host: 'kvm-a',
      status: 'not-enough-data',
      historyMs: 20 * 60_000,
      reason: '',
    },
  ],
  hosts: [],
  placements: [],
};

const preview = (scope: string): ApplyPreview => ({
  id: `${uuid(1)}:less-memory`,
  kind: 'less-memory',
  uuid: uuid(1),
  vmName: 'desk-big',
  host: 'kvm-a',
  reason: '',
  change: 'memory',
  from: 8 * GiB,
  to: 2 * GiB,
  steps:
    scope === 'live'
      ? [{ scope: 'live', what: 'balloon the running guest to 2048 MiB' }]
      : [
          { scope: 'live', what: 'balloon the running guest to 2048 MiB' },
          { scope: 'config', what: 'set 2048 MiB in the config for the next boot' },
        ],
  skipped: [],
});

function backend(overrides: Partial<Record<string, (params: unknown) => unknown>> = {}) {
  const audit: AuditEntry[] = [];
  const answers: Record<string, (params: unknown) => unknown> = {
    'analysis.run': () => analysis,
    'audit.list': () => audit,
    'analysis.preview': (p) => preview((p as { scope: string }).scope),
    'analysis.apply': (p) => {
      const entry: AuditEntry = {
        id: 1,
        ts: now,
        actor: 'admin@console',
        host: 'kvm-a',
        vmUuid: uuid(1),
        vmName: 'desk-big',
        change: 'memory',
        recommendation: (p as { id: string }).id,
        before: 8 * GiB,
        after: 2 * GiB,
        scope: (p as { scope: AuditEntry['scope'] }).scope,
        result: 'applied',
        detail: null,
      };
      audit.push(entry);
      return entry;
    },
    ...overrides,
  };
  return answeringClient((name, params) => answers[name]?.(params) ?? null);
}

function show(client: ContractClient) {
  render(
    <I18nProvider language="en">
      <AnalysisView client={client} />
    </I18nProvider>,
  );
}

describe('AnalysisView', () => {
  it('offers a viewer the recommendations but no Apply', async () => {
    const { client } = backend();
    render(
      <I18nProvider language="en">
        <RoleContext.Provider value="viewer">
          <AnalysisView client={client} />
        </RoleContext.Provider>
      </I18nProvider>,
    );
    await screen.findByRole('table', { name: 'Recommendations on kvm-a' });
    expect(screen.queryAllByRole('button', { name: /^Apply / })).toEqual([]);
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
    expect(screen.getByText('1 VMs without enough history yet')).toBeTruthy();
    expect(screen.getByText('20 min of history')).toBeTruthy();

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
});
