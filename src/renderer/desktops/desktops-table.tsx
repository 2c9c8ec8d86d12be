import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { ColumnDef, Row, SortingState, Updater, VisibilityState } from '@tanstack/react-table';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { markAfterPaint } from '../perf-marks';
import { SpacerRow } from '../components/spacer-row';
import { useRowWindow } from '../components/use-row-window';
import type { Desktop } from '../fleet/fleet-store';
import { useI18n } from '../i18n/i18n';
import {
  desktopColumns,
  desktopRowId,
  figureColumnIds,
  LatestDesktops,
  NowContext,
  sortedDesktops,
} from './desktop-columns';
import type { DesktopColumnId, DesktopColumnMeta } from './desktop-columns';
import { DesktopsToolbar } from './desktops-toolbar';
import { filterDesktops } from './desktop-filters';
import type { DesktopFilters } from './desktop-filters';
import { useColumnChoice } from './use-column-choice';

interface Props {
  desktops: readonly Desktop[];
  /** The filters and search: the console keeps them in the link (route-url.ts). */
  filters: DesktopFilters;
  onFilters: (filters: DesktopFilters) => void;
  /** The time "ago" is measured from; the table re-renders with each update anyway. */
  now: number;
  onOpen?: (desktop: Desktop) => void;
  /** Saved hosts that are one machine with others, and those others (see same-machine.ts). */
  sameMachineAs?: ReadonlyMap<string, string[]>;
}

/** Whether two desktops differ in nothing but their figures (same object: not at all). */
function sameButFigures(a: Desktop, b: Desktop): boolean {
  if (a === b) return true;
  for (const key in a) {
    if (key !== 'figures' && a[key as keyof Desktop] !== b[key as keyof Desktop]) return false;
  }
  return true;
}

/**
 * The desktops the table sorts: the array it had while only figures changed since,
 * unless it is sorted by a figure (then every update re-sorts). At 15,000 desktops whose
 * figures all move every 2 s, sorting again for each update was most of the page's main
 * thread; the rows in view read their figures from LatestDesktops instead.
 */
function useRowSource(shown: readonly Desktop[], sortedByFigure: boolean): readonly Desktop[] {
  const kept = useRef(shown);
  return useMemo(() => {
    const before = kept.current;
    const same =
      !sortedByFigure &&
      before.length === shown.length &&
      before.every((vm, i) => sameButFigures(vm, shown[i] as Desktop));
    if (!same) kept.current = shown;
    return kept.current;
  }, [shown, sortedByFigure]);
}

const apply = <T,>(updater: Updater<T>, old: T): T =>
  typeof updater === 'function' ? (updater as (old: T) => T)(old) : updater;

interface RowProps {
  row: Row<Desktop>;
  index: number;
  /** The columns shown, by id, and their definitions (a new language): the
   * only other reasons to redraw. */
  columnsKey: string;
  columns: readonly ColumnDef<Desktop>[];
  measure: (row: HTMLTableRowElement | null) => void;
  onKey: (event: KeyboardEvent<HTMLTableRowElement>, index: number, desktop: Desktop) => void;
  onOpen: ((desktop: Desktop) => void) | undefined;
}

/**
 * One desktop's row. Memoised on the desktop itself: the fleet store keeps a desktop's
 * object while nothing of it changed, and the table keeps it while only its figures did
 * (useRowSource), so an update redraws only the rows it touched, and new figures only
 * the cells that show them (LatestDesktops).
 */
const DesktopRow = memo(
  function DesktopRow({ row, index, measure, onKey, onOpen }: RowProps) {
    return (
      <tr
        ref={measure}
        data-index={index}
        aria-rowindex={index + 2}
        data-uuid={row.original.uuid}
        data-host={row.original.hostName}
        tabIndex={0}
        onKeyDown={(event) => onKey(event, index, row.original)}
        onDoubleClick={() => onOpen?.(row.original)}
      >
        {row.getVisibleCells().map((cell) => {
          const numeric = (cell.column.columnDef.meta as DesktopColumnMeta | undefined)?.numeric;
          return (
            <td key={cell.id} className={numeric ? 'num' : undefined} data-column={cell.column.id}>
              {flexRender(cell.column.columnDef.cell, cell.getContext())}
            </td>
          );
        })}
      </tr>
    );
  },
  (a, b) =>
    a.row.original === b.row.original &&
    a.index === b.index &&
    a.columnsKey === b.columnsKey &&
    a.columns === b.columns &&
    a.measure === b.measure &&
    a.onKey === b.onKey &&
    a.onOpen === b.onOpen,
);

/**
 * Every desktop over all hosts: sortable by any column, filtered by text, host, state,
 * "connected now" and "not connected for N days", with the columns the user chose.
 * Rows are keyed by host and UUID, so live updates keep the sort, the focus and the scroll;
 * only the rows in view are drawn.
 */
export const DesktopsTable = memo(function DesktopsTable({
  desktops,
  filters,
  onFilters,
  now,
  onOpen,
  sameMachineAs,
}: Props) {
  const { t, locale } = useI18n();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [visibility, setVisibility] = useColumnChoice();
  const body = useRef<HTMLTableSectionElement>(null);
  const columns = useMemo(
    () =>
      desktopColumns({
        t,
        locale,
        ...(onOpen ? { onOpen } : {}),
        ...(sameMachineAs ? { sameMachineAs } : {}),
      }),
    [t, locale, onOpen, sameMachineAs],
  );
  const shown = useMemo(() => filterDesktops(desktops, filters, now), [desktops, filters, now]);
  const latest = useMemo(() => new Map(shown.map((vm) => [desktopRowId(vm), vm])), [shown]);
  const sortedByFigure = sorting.some(({ id }) => figureColumnIds.has(id as DesktopColumnId));
  const rowSource = useRowSource(shown, sortedByFigure);
  const sorted = useMemo(
    () => sortedDesktops(rowSource, sorting, columns),
    [rowSource, sorting, columns],
  );
  const rowWindow = useRowWindow(sorted.length, body);
  const { scrollTo } = rowWindow;
  // TanStack gets the rows in view only: it draws them, and keeps the sort and the columns.
  const firstIndex = rowWindow.rows[0]?.index ?? 0;
  const lastIndex = rowWindow.rows.at(-1)?.index ?? -1;
  const inView = useMemo(
    () => sorted.slice(firstIndex, lastIndex + 1),
    [sorted, firstIndex, lastIndex],
  );
  const table = useReactTable({
    data: inView as Desktop[],
    manualSorting: true,
    columns,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: (updater) => setSorting((old) => apply(updater, old)),
    onColumnVisibilityChange: (updater: Updater<VisibilityState>) =>
      setVisibility(apply(updater, visibility)),
    // A VM seen through two saved hosts (one libvirt reached twice) is two rows, each marked.
    getRowId: desktopRowId,
    getCoreRowModel: getCoreRowModel(),
  });
  const hosts = useMemo(() => {
    const names = new Map(desktops.map((vm) => [vm.host, vm.hostName]));
    return [...names]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [desktops]);

  const rows = table.getRowModel().rows;
  useEffect(() => {
    if (sorted.length > 0) markAfterPaint('setmov:desktops-rows');
  }, [sorted.length]);

  /** Arrows move between rows, Enter opens one; a row out of view is scrolled to first. */
  const onRowKey = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>, at: number, desktop: Desktop): void => {
      const last = sorted.length - 1;
      const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: last }[event.key];
      if (to !== undefined) {
        event.preventDefault();
        const index = Math.max(0, Math.min(last, to));
        const focus = () =>
          body.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${index}"]`)?.focus();
        scrollTo(index);
        focus();
        // A row that was not drawn yet is there after the next frame.
        requestAnimationFrame(focus);
      } else if (event.key === 'Enter') {
        onOpen?.(desktop);
      }
    },
    [sorted.length, scrollTo, onOpen],
  );
  const visibleCount = table.getVisibleLeafColumns().length;
  const columnsKey = table
    .getVisibleLeafColumns()
    .map((column) => column.id)
    .join(' ');

  return (
    <section className="panel" aria-labelledby="desktops-title">
      <header className="panel-header">
        <h1 id="desktops-title">{t('desktops.title')}</h1>
        <span className="muted" data-testid="desktops-count">
          {t('desktops.count', { shown: shown.length, total: desktops.length })}
        </span>
      </header>
      <DesktopsToolbar
        filters={filters}
        onFilters={onFilters}
        hosts={hosts}
        columns={table.getAllLeafColumns()}
        onSearchEnter={() => {
          // One match: that desktop is what was searched for. More: to the first row,
          // where the arrows and Enter go on.
          const [first] = sorted;
          if (sorted.length === 1 && first) onOpen?.(first);
          else body.current?.querySelector<HTMLTableRowElement>('tr[data-index="0"]')?.focus();
        }}
      />
      <div className="table-scroll">
        <table
          className="data-table desktops-table"
          aria-labelledby="desktops-title"
          aria-rowcount={sorted.length + 1}
        >
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as DesktopColumnMeta | undefined)
                    ?.numeric;
                  const label = String(header.column.columnDef.header);
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? 'num' : undefined}
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                      }
                    >
                      <button
                        type="button"
                        className="sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                        aria-label={t('desktops.sortBy', { column: label })}
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <NowContext.Provider value={now}>
            <LatestDesktops.Provider value={latest}>
              <tbody ref={body}>
                <SpacerRow height={rowWindow.padTop} columns={visibleCount} />
                {rowWindow.rows.map((item) => {
                  const row = rows[item.index - firstIndex] as Row<Desktop>;
                  return (
                    <DesktopRow
                      key={row.id}
                      row={row}
                      index={item.index}
                      columnsKey={columnsKey}
                      columns={columns}
                      measure={rowWindow.measure}
                      onKey={onRowKey}
                      onOpen={onOpen}
                    />
                  );
                })}
                <SpacerRow height={rowWindow.padBottom} columns={visibleCount} />
              </tbody>
            </LatestDesktops.Provider>
          </NowContext.Provider>
        </table>
        {shown.length === 0 && (
          <p className="table-empty muted" role="status">
            {desktops.length === 0 ? t('desktops.none') : t('desktops.empty')}
          </p>
        )}
      </div>
    </section>
  );
});
