import type { FleetSnapshot } from '../fleet/fleet-store';
import { useI18n } from '../i18n/i18n';

/** Hosts up, desktops running, desktops connected: the fleet in one line. */
export function StatusBar({ fleet }: { fleet: FleetSnapshot }) {
  const { t } = useI18n();
  if (fleet.state !== 'ready') return <footer className="status-bar" />;
  const up = fleet.hosts.filter((h) => h.status.status === 'up').length;
  const running = fleet.desktops.filter((vm) => vm.state === 'running').length;
  const connected = fleet.desktops.filter((vm) => vm.connectedNow).length;
  return (
    <footer className="status-bar" aria-label="status">
      <span data-testid="status-hosts">
        {t('statusbar.hosts', { up, total: fleet.hosts.length })}
      </span>
      <span>{t('statusbar.desktops', { running, total: fleet.desktops.length })}</span>
      <span>{t('statusbar.connected', { count: connected })}</span>
    </footer>
  );
}
