import type { Column } from '@tanstack/react-table';
import type { Desktop } from '../fleet/fleet-store';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { desktopStates, MAX_IDLE_DAYS, MAX_SEARCH_CHARS } from './desktop-filters';
import type { DesktopFilters } from './desktop-filters';

interface Props {
  filters: DesktopFilters;
  onFilters: (filters: DesktopFilters) => void;
  /** The hosts to filter by: the filter holds the id, the list shows the name. */
  hosts: { id: string; name: string }[];
  columns: Column<Desktop>[];
  /** Enter in the search field. */
  onSearchEnter?: () => void;
}

/** The filters and the column choice above the desktops table. */
export function DesktopsToolbar({ filters, onFilters, hosts, columns, onSearchEnter }: Props) {
  const { t } = useI18n();
  const set = (change: Partial<DesktopFilters>) => onFilters({ ...filters, ...change });
  return (
    <div className="toolbar">
      <label className="field field-grow">
        <span className="visually-hidden">{t('desktops.search')}</span>
        <input
          id="desktops-search"
          type="search"
          value={filters.text}
          maxLength={MAX_SEARCH_CHARS}
          title={t('desktops.search.shortcut')}
          placeholder={t('desktops.search.placeholder')}
          aria-label={t('desktops.search')}
          onChange={(event) => set({ text: event.target.value })}
          onKeyDown={(event) => {
            if (event.key !== 'Enter' || !onSearchEnter) return;
            event.preventDefault();
            onSearchEnter();
          }}
        />
      </label>
      <label className="field">
        <span>{t('desktops.filter.host')}</span>
        <select value={filters.host} onChange={(event) => set({ host: event.target.value })}>
          <option value="">{t('desktops.filter.any')}</option>
          {hosts.map((host) => (
            <option key={host.id} value={host.id}>
              {host.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desktops.filter.state')}</span>
        <select value={filters.state} onChange={(event) => set({ state: event.target.value })}>
          <option value="">{t('desktops.filter.any')}</option>
          {desktopStates.map((state) => (
            <option key={state} value={state}>
              {t(`vmstate.${state}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-check">
        <input
          type="checkbox"
          checked={filters.connectedNow}
          onChange={(event) => set({ connectedNow: event.target.checked })}
        />
        <span>{t('desktops.filter.connectedNow')}</span>
      </label>
      <label className="field">
        <span>{t('desktops.filter.idleDays')}</span>
        <input
          type="number"
          min={1}
          max={MAX_IDLE_DAYS}
          className="input-days"
          value={filters.idleDays ?? ''}
          onChange={(event) => {
            const days = Number.parseInt(event.target.value, 10);
            set({
              idleDays: Number.isFinite(days) && days > 0 ? Math.min(days, MAX_IDLE_DAYS) : null,
            });
          }}
        />
      </label>
      <details className="column-menu">
        <summary>{t('desktops.columns')}</summary>
        <fieldset>
          <legend className="visually-hidden">{t('desktops.columns')}</legend>
          {columns
            .filter((column) => column.getCanHide())
            .map((column) => (
              <label key={column.id} className="field-check">
                <input
                  type="checkbox"
                  checked={column.getIsVisible()}
                  onChange={column.getToggleVisibilityHandler()}
                />
                <span>{t(`col.${column.id}` as MessageKey)}</span>
              </label>
            ))}
        </fieldset>
      </details>
    </div>
  );
}
