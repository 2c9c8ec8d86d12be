import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
} from '@tanstack/react-table';
import type { SortingState, Updater, VisibilityState } from '@tanstack/react-table';
import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Desktop } from '../fleet/fleet-store';
import { useI18n } from '../i18n/i18n';
import { desktopColumns } from './desktop-columns';
import { DesktopsToolbar } from './desktops-toolbar';
import { filterDesktops, noFilters } from './desktop-filters';
import type { DesktopFilters } from './desktop-filters';
import { useColumnChoice } from './use-column-choice';

interface Props {
  desktops: readonly Desktop[];
  /** The time "ago" is measured from; the table re-renders with each update anyway. */
  now: number;
  onOpen?: (desktop: Desktop) => void;
}

const apply = <T,>(updater: Updater<T>, old: T): T =>
  typeof updater === 'function' ? (updater as (old: T) => T)(old) : updater;

/**
 * Every desktop over all hosts: sortable by any column, filtered by text, host, state,
 * "connected now" and "not connected for N days", with the columns the user chose.
 * Rows are keyed by host and UUID, so live updates keep the sort, the focus and the scroll.
 */
export function DesktopsTable({ desktops, now, onOpen }: Props) {
  const { t, locale } = useI18n();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [filters, setFilters] = useState<DesktopFilters>(noFilters);
  const [visibility, setVisibility] = useColumnChoice();
  const body = useRef<HTMLTableSectionElement>(null);
  const columns = useMemo(
    () => desktopColumns({ t, locale, now, ...(onOpen ? { onOpen } : {}) }),
    [t, locale, now, onOpen],
  );
  const shown = useMemo(() => filterDesktops(desktops, filters, now), [desktops, filters, now]);
  const table = useReactTable({
    data: shown,
    columns,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: (updater) => setSorting((old) => apply(updater, old)),
    onColumnVisibilityChange: (updater: Updater<VisibilityState>) =>
      setVisibility(apply(updater, visibility)),
    // A VM seen through two saved hosts (one libvirt reached twice) is two rows.
    getRowId: (vm) => `${vm.host}/${vm.uuid}`,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const hosts = useMemo(() => [...new Set(desktops.map((vm) => vm.host))].sort(), [desktops]);

  /** Arrows move between rows, Enter opens one. */
  function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, desktop: Desktop): void {
    const rows = [...(body.current?.querySelectorAll<HTMLTableRowElement>('tr') ?? [])];
    const at = rows.indexOf(event.currentTarget);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
    if (to !== undefined) {
      event.preventDefault();
      rows[Math.max(0, Math.min(rows.length - 1, to))]?.focus();
    } else if (event.key === 'Enter') {
      onOpen?.(desktop);
    }
  }

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
        onFilters={setFilters}
        hosts={hosts}
        columns={table.getAllLeafColumns()}
      />
      <div className="table-scroll">
        <table className="data-table desktops-table" aria-labelledby="desktops-title">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as { numeric?: boolean })?.numeric;
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
          <tbody ref={body}>
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                data-uuid={row.original.uuid}
                data-host={row.original.host}
                tabIndex={0}
                onKeyDown={(event) => onRowKey(event, row.original)}
                onDoubleClick={() => onOpen?.(row.original)}
              >
                {row.getVisibleCells().map((cell) => {
                  const numeric = (cell.column.columnDef.meta as { numeric?: boolean })?.numeric;
                  return (
                    <td
                      key={cell.id}
                      className={numeric ? 'num' : undefined}
                      data-column={cell.column.id}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && (
          <p className="table-empty muted" role="status">
            {desktops.length === 0 ? t('desktops.none') : t('desktops.empty')}
          </p>
        )}
      </div>
    </section>
  );
}
