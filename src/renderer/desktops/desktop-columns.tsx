import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { AccessorFnColumnDef, ColumnDef, Row } from '@tanstack/react-table';
import {
  formatRatePair,
  formatBytes,
  formatDateTime,
  formatPercent,
  formatRelative,
  textCollator,
  MISSING,
} from '../format';
import type { Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Desktop } from '../fleet/fleet-store';

/** The columns a user may show or hide, in their order. */
export const desktopColumnIds = [
  'name',
  'host',
  'state',
  'vcpus',
  'memAllocated',
  'memGuestUsed',
  'cpuGuest',
  'cpuHost',
  'disk',
  'net',
  'lct',
  'lastSeen',
] as const;
export type DesktopColumnId = (typeof desktopColumnIds)[number];

/** What a table starts with: everything but the guest's own CPU share and last seen. */
export const defaultHiddenColumns: DesktopColumnId[] = ['cpuGuest', 'lastSeen'];

/**
 * The time relative times count from. A context, not a column input: when it moves,
 * only the two cells that show "… ago" redraw, not every row of the table.
 */
export const NowContext = createContext(0);

interface Context {
  t: Translate;
  locale: string;
  /** Opens a desktop's page; its name is the way there. */
  onOpen?: (vm: Desktop) => void;
  /** For a saved host that is one machine with others, those others: its rows are listed twice. */
  sameMachineAs?: ReadonlyMap<string, string[]>;
}

/**
 * Each desktop as the fleet now has it, by row id (host/uuid). The table builds its rows
 * from the desktops as they were when anything but their figures last changed (sorting
 * 15,000 rows twice a second for new figures is most of a page's work); the cells that
 * show figures read them here, so the rows in view show the newest.
 */
export const LatestDesktops = createContext<ReadonlyMap<string, Desktop>>(new Map());

/** The columns whose values are a desktop's figures: a sort by one follows each update. */
export const figureColumnIds: ReadonlySet<DesktopColumnId> = new Set([
  'memAllocated',
  'memGuestUsed',
  'cpuGuest',
  'cpuHost',
  'disk',
  'net',
]);

/** How the table knows a row: a VM seen through two saved hosts is two rows. */
export const desktopRowId = (vm: Desktop): string => `${vm.host}/${vm.uuid}`;

/** A cell drawn from the row's desktop as it is now (LatestDesktops), not as sorted. */
function Latest({ row, show }: { row: Row<Desktop>; show: (vm: Desktop) => ReactNode }) {
  const latest = useContext(LatestDesktops).get(row.id) ?? row.original;
  return show(latest);
}

/** How a column is drawn and sorted (the table sorts the desktops itself: sortedDesktops). */
export interface DesktopColumnMeta {
  /** Right-aligned figures. */
  numeric?: boolean;
  /** The order of two values that are not undefined; absent: as numbers (<, >). */
  compare?: (a: unknown, b: unknown) => number;
}

/** A number to sort by, or undefined when it was not measured (sorted last either way). */
const measured = (value: number | null | undefined): number | undefined => value ?? undefined;

function LastConnect({ vm, t, locale }: { vm: Desktop } & Pick<Context, 't' | 'locale'>) {
  const now = useContext(NowContext);
  if (vm.connectedNow) return <span className="badge-live">{t('lct.now')}</span>;
  if (vm.lct === null) return <span className="muted">{t('lct.never')}</span>;
  return <span title={formatDateTime(locale, vm.lct)}>{formatRelative(locale, vm.lct, now)}</span>;
}

function LastSeen({ seen, locale }: { seen: number | undefined; locale: string }) {
  const now = useContext(NowContext);
  if (seen === undefined) return MISSING;
  return <span title={formatDateTime(locale, seen)}>{formatRelative(locale, seen, now)}</span>;
}

/** What a desktop is given: the balloon's size when reported, else its domain's. */
const memAllocated = (vm: Desktop): number | undefined =>
  measured(vm.figures?.memAllocatedBytes ?? vm.currentMemoryBytes ?? vm.maxMemoryBytes);

/** The desktops table's columns; accessors give what sorting compares. */
export function desktopColumns({
  t,
  locale,
  onOpen,
  sameMachineAs,
}: Context): ColumnDef<Desktop>[] {
  // Missing values sort last whichever the direction (sortedDesktops): a sort by CPU puts
  // the busiest first.
  const numeric = {
    sortDescFirst: true,
    meta: { numeric: true } satisfies DesktopColumnMeta,
  } as const;
  const collator = textCollator(locale);
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  const text = {
    meta: {
      compare: (a, b) => collator.compare(String(a), String(b)),
    } satisfies DesktopColumnMeta,
  };
  const column = (
    id: DesktopColumnId,
    header: MessageKey,
    rest: Omit<AccessorFnColumnDef<Desktop, unknown>, 'id' | 'header'>,
  ): ColumnDef<Desktop> => ({ id, header: t(header), ...rest });
  return [
    column('name', 'col.name', {
      ...text,
      accessorFn: (vm) => vm.name,
      cell: ({ row }) =>
        onOpen ? (
          <button
            type="button"
            className="link-button vm-name"
            aria-label={t('detail.open', { name: row.original.name })}
            onClick={() => onOpen(row.original)}
          >
            {row.original.name}
          </button>
        ) : (
          <span className="vm-name">{row.original.name}</span>
        ),
      enableHiding: false,
    }),
    column('host', 'col.host', {
      ...text,
      accessorFn: (vm) => vm.hostName,
      cell: ({ row }) => {
        const others = sameMachineAs?.get(row.original.host);
        if (!others) return row.original.hostName;
        return (
          <>
            {row.original.hostName}{' '}
            <span className="same-machine-mark" data-testid="same-machine-mark">
              {t('desktops.sameMachineAs', { hosts: list.format(others) })}
            </span>
          </>
        );
      },
    }),
    column('state', 'col.state', {
      ...text,
      accessorFn: (vm) => vm.state,
      cell: ({ row }) => (
        <span className={`vm-state vm-state-${row.original.state}`}>
          {t(`vmstate.${row.original.state}` as MessageKey)}
        </span>
      ),
    }),
    column('vcpus', 'col.vcpus', {
      ...numeric,
      accessorFn: (vm) => measured(vm.vcpus),
      cell: ({ getValue }) => getValue<number | undefined>() ?? MISSING,
    }),
    column('memAllocated', 'col.memAllocated', {
      ...numeric,
      accessorFn: memAllocated,
      cell: ({ row }) => <Latest row={row} show={(vm) => formatBytes(locale, memAllocated(vm))} />,
    }),
    column('memGuestUsed', 'col.memGuestUsed', {
      ...numeric,
      accessorFn: (vm) => measured(vm.figures?.memGuestUsedBytes),
      // Never the allocation shown as "used": a guest without a balloon driver says nothing.
      cell: ({ row }) => (
        <Latest
          row={row}
          show={(vm) => {
            const used = measured(vm.figures?.memGuestUsedBytes);
            const percent = vm.figures?.memUsedPercent;
            // The central database keeps the guest's share only, not its bytes.
            if (used === undefined && percent != null) return formatPercent(locale, percent);
            if (used === undefined) return <span className="muted">{t('guest.noReport')}</span>;
            return `${formatBytes(locale, used)} (${formatPercent(locale, percent)})`;
          }}
        />
      ),
    }),
    column('cpuGuest', 'col.cpuGuest', {
      ...numeric,
      accessorFn: (vm) => measured(vm.figures?.cpuGuestPercent),
      cell: ({ row }) => (
        <Latest row={row} show={(vm) => formatPercent(locale, vm.figures?.cpuGuestPercent)} />
      ),
    }),
    column('cpuHost', 'col.cpuHost', {
      ...numeric,
      accessorFn: (vm) => measured(vm.figures?.cpuHostPercent),
      cell: ({ row }) => (
        <Latest row={row} show={(vm) => formatPercent(locale, vm.figures?.cpuHostPercent)} />
      ),
    }),
    column('disk', 'col.disk', {
      ...numeric,
      accessorFn: (vm) => measured(vm.figures?.diskBytesPerSec),
      cell: ({ row }) => (
        <Latest
          row={row}
          show={({ figures: f }) =>
            formatRatePair(
              locale,
              f?.diskReadBytesPerSec,
              f?.diskWriteBytesPerSec,
              f?.diskBytesPerSec,
            )
          }
        />
      ),
    }),
    column('net', 'col.net', {
      ...numeric,
      accessorFn: (vm) => measured(vm.figures?.netBytesPerSec),
      cell: ({ row }) => (
        <Latest
          row={row}
          show={({ figures: f }) =>
            formatRatePair(locale, f?.netRxBytesPerSec, f?.netTxBytesPerSec, f?.netBytesPerSec)
          }
        />
      ),
    }),
    column('lct', 'col.lct', {
      ...numeric,
      // Connected now sorts as the most recent connect.
      accessorFn: (vm) => measured(vm.connectedNow ? Number.MAX_SAFE_INTEGER : vm.lct),
      cell: ({ row }) => <LastConnect vm={row.original} t={t} locale={locale} />,
    }),
    column('lastSeen', 'col.lastSeen', {
      ...numeric,
      accessorFn: (vm) => measured(vm.lastSeen),
      cell: ({ getValue }) => <LastSeen seen={getValue<number | undefined>()} locale={locale} />,
    }),
  ];
}

const byValue = (a: unknown, b: unknown): number =>
  a === b ? 0 : (a as number) > (b as number) ? 1 : -1;

/**
 * The desktops in the order of the table's sort: each column's value taken once per
 * desktop, undefined last whichever the direction, ties in the order given. The table
 * sorts here rather than in TanStack's row model, which would build a row object for
 * each of 15,000 desktops to draw the thirty in view.
 */
export function sortedDesktops(
  desktops: readonly Desktop[],
  sorting: readonly { id: string; desc: boolean }[],
  columns: readonly ColumnDef<Desktop>[],
): readonly Desktop[] {
  const keys = sorting.flatMap(({ id, desc }) => {
    const column = columns.find((c) => c.id === id);
    if (!column || !('accessorFn' in column)) return [];
    const compare = (column.meta as DesktopColumnMeta | undefined)?.compare ?? byValue;
    const values = desktops.map((vm, i) => column.accessorFn(vm, i));
    return [{ values, compare, sign: desc ? -1 : 1 }];
  });
  if (keys.length === 0) return desktops;
  const order = desktops.map((_, i) => i);
  order.sort((a, b) => {
    for (const { values, compare, sign } of keys) {
      const x = values[a];
      const y = values[b];
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const order = compare(x, y);
      if (order !== 0) return order * sign;
    }
    return a - b;
  });
  return order.map((i) => desktops[i] as Desktop);
}
