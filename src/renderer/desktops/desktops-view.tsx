import { useFleet, useLiveDesktops } from '../fleet/use-fleet';
import { useNow } from '../use-now';
import { DesktopsTable } from './desktops-table';

/** The desktops table over every host, its figures live while it is shown. */
export function DesktopsView() {
  useLiveDesktops();
  const fleet = useFleet();
  const now = useNow(10_000);
  if (fleet.state !== 'ready') return null;
  return <DesktopsTable desktops={fleet.desktops} now={now} />;
}
