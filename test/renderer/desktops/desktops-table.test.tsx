import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { FilteredTable } from './filtered-table';
import type { Desktop } from '../../../src/renderer/fleet/fleet-store';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { desktop } from './desktop-factory';

const now = Date.UTC(2026, 11, 2, 4, 30, 0);
const DAY = 86_400_000;

function show(desktops: Desktop[], language: 'en' | 'ko' = 'en') {
  const view = render(
    <I18nProvider language={language}>
      <FilteredTable desktops={desktops} now={now} />
    </I18nProvider>,
  );
  const rerender = (next: Desktop[]) =>
    view.rerender(
      <I18nProvider language={language}>
        <FilteredTable desktops={next} now={now} />
      </I18nProvider>,
    );
  return { ...view, rerender };
}

/** The names in the table, top to bottom. */
const names = (): string[] =>
  [...document.querySelectorAll('tbody td[data-column="name"]')].map(
    (cell) => cell.textContent ?? '',
  );

beforeEach(() => localStorage.clear());

describe('DesktopsTable', () => {
  it('sorts by name first, then by CPU busiest first, missing values last', async () => {
    const user = userEvent.setup();
    show([desktop(3), desktop(1), desktop(2, { figures: null }), desktop(9)]);
    expect(names()).toEqual(['desk-01', 'desk-02', 'desk-03', 'desk-09']);
    await user.click(screen.getByRole('button', { name: 'Sort by CPU (% of host)' }));
    expect(names()).toEqual(['desk-09', 'desk-03', 'desk-01', 'desk-02']);
    expect(
      screen.getByRole('columnheader', { name: /CPU \(% of host\)/ }).getAttribute('aria-sort'),
    ).toBe('descending');
    await user.click(screen.getByRole('button', { name: 'Sort by CPU (% of host)' }));
    expect(names()).toEqual(['desk-01', 'desk-03', 'desk-09', 'desk-02']);
  });

  it('filters by text, host, state, connected now and days without a connect', async () => {
    const user = userEvent.setup();
    const desktops = [
      desktop(1, { connectedNow: true, lct: now - 60_000 }),
      desktop(2, { lct: now - 10 * DAY }),
      desktop(3, { state: 'paused', lct: now - 2 * DAY }),
      desktop(4, { name: 'finance-07' }),
    ];
    show(desktops);
    await user.type(screen.getByRole('searchbox', { name: 'Search desktops' }), 'FIN');
    expect(names()).toEqual(['finance-07']);
    await user.clear(screen.getByRole('searchbox', { name: 'Search desktops' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Host' }), 'kvm-b');
    expect(names()).toEqual(['desk-01', 'desk-03']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), 'paused');
    expect(names()).toEqual(['desk-03']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), '');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Host' }), '');
    await user.click(screen.getByRole('checkbox', { name: 'Connected now' }));
    expect(names()).toEqual(['desk-01']);
    await user.click(screen.getByRole('checkbox', { name: 'Connected now' }));
    // Never connected counts as idle; connected now never does.
    await user.type(screen.getByRole('spinbutton', { name: 'Not connected for (days)' }), '7');
    expect(names()).toEqual(['desk-02', 'finance-07']);
    expect(screen.getByTestId('desktops-count').textContent).toBe('2 of 4');
  });

  it('opens the one desktop a search finds on Enter, and goes to the first row of several', async () => {
    const user = userEvent.setup();
    const opened: string[] = [];
    render(
      <I18nProvider language="en">
        <FilteredTable
          desktops={[desktop(1), desktop(2), desktop(4, { name: 'finance-07' })]}
          now={now}
          onOpen={(vm) => opened.push(vm.name)}
        />
      </I18nProvider>,
    );
    const search = screen.getByRole('searchbox', { name: 'Search desktops' });
    await user.type(search, 'desk{Enter}');
    expect(opened).toEqual([]);
    expect(document.activeElement?.getAttribute('data-index')).toBe('0');
    await user.clear(search);
    await user.type(search, 'fin{Enter}');
    expect(opened).toEqual(['finance-07']);
  });

  it('shows and hides columns as chosen, and remembers the choice', async () => {
    const user = userEvent.setup();
    const first = show([desktop(1)]);
    expect(screen.queryByRole('columnheader', { name: /Last seen/ })).toBeNull();
    await user.click(screen.getByText('Columns', { selector: 'summary' }));
    await user.click(screen.getByRole('checkbox', { name: 'Last seen' }));
    await user.click(screen.getByRole('checkbox', { name: 'Host' }));
    expect(screen.getByRole('columnheader', { name: /Last seen/ })).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: /^Host/ })).toBeNull();
    first.unmount();
    show([desktop(1)]);
    expect(screen.getByRole('columnheader', { name: /Last seen/ })).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: /^Host/ })).toBeNull();
    // The name cannot be hidden: a row without it means nothing.
    expect(screen.queryByRole('checkbox', { name: 'Name' })).toBeNull();
  });

  it('keeps the sort, the focused row and the row elements through live updates', async () => {
    const user = userEvent.setup();
    const desktops = Array.from({ length: 100 }, (_, i) => desktop(i + 1));
    const view = show(desktops);
    await user.click(screen.getByRole('button', { name: 'Sort by CPU (% of host)' }));
    const row = screen.getAllByRole('row')[5] as HTMLElement;
    row.focus();
    const uuid = row.getAttribute('data-uuid');
    // One update of every desktop's figures, CPU unchanged in order.
    act(() =>
      view.rerender(
        desktops.map((vm) => ({
          ...vm,
          figures: vm.figures && {
            ...vm.figures,
            ts: vm.figures.ts + 1000,
            diskWriteBytesPerSec: 5,
          },
        })),
      ),
    );
    expect(names().slice(0, 3)).toEqual(['desk-100', 'desk-99', 'desk-98']);
    expect(document.activeElement).toBe(row);
    expect(document.activeElement?.getAttribute('data-uuid')).toBe(uuid);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getAllByRole('row')[6]);
  });

  it('shows new figures in the rows it keeps, and re-sorts on them only when sorted by a figure', async () => {
    const user = userEvent.setup();
    const desktops = [desktop(1), desktop(2), desktop(3)];
    const view = show(desktops);
    const rows = screen.getAllByRole('row').slice(1);
    const cpuOf = (name: string) =>
      document.querySelector(
        `tr[data-uuid="${desktops.find((d) => d.name === name)?.uuid}"] td[data-column="cpuHost"]`,
      )?.textContent;
    // desk-01 becomes the busiest: by name nothing moves, and its row shows the new share.
    const busier = (vms: Desktop[], cpu: number) =>
      vms.map((vm) =>
        vm.name === 'desk-01' && vm.figures
          ? { ...vm, figures: { ...vm.figures, cpuHostPercent: cpu } }
          : vm,
      );
    act(() => view.rerender(busier(desktops, 97)));
    expect(names()).toEqual(['desk-01', 'desk-02', 'desk-03']);
    expect(screen.getAllByRole('row').slice(1)).toEqual(rows);
    expect(cpuOf('desk-01')).toBe('97%');
    // Sorted by CPU, the same kind of update moves the row.
    await user.click(screen.getByRole('button', { name: 'Sort by CPU (% of host)' }));
    expect(names()[0]).toBe('desk-01');
    act(() => view.rerender(busier(desktops, 0.5)));
    expect(names()[2]).toBe('desk-01');
    expect(cpuOf('desk-01')).toBe('0.5%');
    // A change beyond the figures (its state) is taken as it comes, sort or not.
    await user.click(screen.getByRole('button', { name: 'Sort by Name' }));
    act(() =>
      view.rerender(
        desktops.map((vm) => (vm.name === 'desk-02' ? { ...vm, state: 'paused' } : vm)),
      ),
    );
    expect(
      document.querySelector(`tr[data-uuid="${desktops[1]?.uuid}"] td[data-column="state"]`)
        ?.textContent,
    ).toBe('paused');
  });

  it('draws only the rows in view of a long list, and tells how many there are', () => {
    show(Array.from({ length: 1000 }, (_, i) => desktop(i + 1)));
    const drawn = document.querySelectorAll('tbody tr[data-uuid]');
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(60);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('1001');
    expect(drawn[0]?.getAttribute('aria-rowindex')).toBe('2');
    // The rows not drawn keep their space, so the scroll bar tells the truth.
    const below = document.querySelector('tbody tr.spacer-row td') as HTMLElement;
    expect(parseFloat(below.style.height)).toBeGreaterThan(900 * 40);
  });

  it('moves relative times on with the clock, without the rest of the row', () => {
    const vms = [desktop(1, { lct: now - 60_000 })];
    const at = (time: number) => (
      <I18nProvider language="en">
        <FilteredTable desktops={vms} now={time} />
      </I18nProvider>
    );
    const view = render(at(now));
    const lct = () => document.querySelector('td[data-column="lct"]')?.textContent;
    const name = document.querySelector('td[data-column="name"]');
    expect(lct()).toBe('1 minute ago');
    view.rerender(at(now + 2 * 3_600_000));
    expect(lct()).toBe('2 hours ago');
    expect(document.querySelector('td[data-column="name"]')).toBe(name);
  });

  it('says what a guest does not report, and when a desktop was last connected', () => {
    show([
      desktop(1, {
        figures: { ...desktop(1).figures!, memGuestUsedBytes: null, memUsedPercent: null },
      }),
      desktop(2, { lct: now - 3 * 3_600_000 }),
      desktop(3, { connectedNow: true, lct: now }),
    ]);
    const cell = (name: string, column: string) =>
      within(screen.getByText(name).closest('tr') as HTMLElement)
        .getAllByRole('cell')
        .find((c) => c.getAttribute('data-column') === column)?.textContent;
    expect(cell('desk-01', 'memGuestUsed')).toBe('guest reports nothing');
    expect(cell('desk-02', 'memGuestUsed')).toBe('2 GiB (50%)');
    expect(cell('desk-01', 'lct')).toBe('never');
    expect(cell('desk-02', 'lct')).toBe('3 hours ago');
    expect(cell('desk-03', 'lct')).toBe('connected now');
  });

  it('speaks Korean', () => {
    show([desktop(1)], 'ko');
    expect(screen.getByRole('heading', { name: '데스크톱' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'CPU (호스트 대비 %) 기준 정렬' })).toBeTruthy();
    expect(document.querySelector('td[data-column="state"]')?.textContent).toBe('실행 중');
  });
});
