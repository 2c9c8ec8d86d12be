import { useState } from 'react';
import type { ComponentProps } from 'react';
import { noFilters } from '../../../src/renderer/desktops/desktop-filters';
import { DesktopsTable } from '../../../src/renderer/desktops/desktops-table';

/** The desktops table with its filters held here, as the console holds them in its route. */
export function FilteredTable(
  props: Omit<ComponentProps<typeof DesktopsTable>, 'filters' | 'onFilters'>,
) {
  const [filters, setFilters] = useState(noFilters);
  return <DesktopsTable {...props} filters={filters} onFilters={setFilters} />;
}
