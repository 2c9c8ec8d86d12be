import { useEffect, useMemo, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { AppStatus, CentralReadStatus } from '../../shared/model/host-view';
import type { FleetSnapshot } from '../fleet/fleet-store';
import { desktopsOncePerMachine } from '../fleet/same-machine';
import { formatBytes, formatClock, numberFormat } from '../format';
import { useI18n } from '../i18n/i18n';

const STATUS_EVERY_MS = 5_000;
/** How long the note that the console reads from another node stays, ms. */
export const FAILOVER_NOTE_MS = 60_000;

/** The backend's own figures, read every few seconds while the console is open. */
function useAppStatus(client: ContractClient): AppStatus | null {
  const [status, setStatus] = useState<AppStatus | null>(null);
  useEffect(() => {
    let current = true;
    const read = (): void =>
      void client.request('app.status').then(
        (value) => current && setStatus(value),
        () => current && setStatus(null),
      );
    read();
    const timer = setInterval(read, STATUS_EVERY_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client]);
  return status;
}

/**
 * Where the fleet is read from: the node, quietly; that reads fail (since when, and the
 * figures' age), loudly; that it moved to another node of the cluster, for a minute.
 */
function CentralNote({ central, now }: { central: CentralReadStatus; now: number }) {
  const { t, locale } = useI18n();
  const left =
    central.rejectedRows > 0
      ? ` · ${t('statusbar.centralRejected', { count: central.rejectedRows })}`
      : '';
  if (central.error !== null) {
    return (
      <span
        className="status-note status-note-warn"
        role="status"
        data-testid="status-central"
        title={central.error}
      >
        {central.lastReadAt === null
          ? t('statusbar.centralNever', { since: formatClock(locale, central.failingSince ?? now) })
          : t('statusbar.centralFailing', {
              since: formatClock(locale, central.failingSince ?? now),
              read: formatClock(locale, central.lastReadAt),
            })}
      </span>
    );
  }
  const movedRecently =
    central.failedOverAt !== null && now - central.failedOverAt < FAILOVER_NOTE_MS;
  return (
    <span
      className={movedRecently ? 'status-note status-note-warn' : 'status-note'}
      role="status"
      data-testid="status-central"
    >
      {movedRecently
        ? t('statusbar.centralMoved', {
            node: central.node ?? '?',
            at: formatClock(locale, central.failedOverAt ?? now),
          })
        : t('statusbar.central', { node: central.node ?? '?' })}
      {left}
    </span>
  );
}

/**
 * Hosts up, desktops running and connected, samples/s, the cache on disk, the sync lag. A
 * machine saved under two hosts lists its desktops under both; they count once here.
 */
export function StatusBar({ client, fleet }: { client: ContractClient; fleet: FleetSnapshot }) {
  const { t, locale } = useI18n();
  const status = useAppStatus(client);
  const desktops = useMemo(
    () => (fleet.state === 'ready' ? desktopsOncePerMachine(fleet.desktops, fleet.hosts) : []),
    [fleet],
  );
  const countedOnce = fleet.state === 'ready' && desktops.length < fleet.desktops.length;
  const number = numberFormat(locale, { maximumFractionDigits: 0 });
  return (
    <footer className="status-bar">
      {fleet.state === 'ready' && (
        <>
          <span data-testid="status-hosts">
            {t('statusbar.hosts', {
              up: fleet.hosts.filter((h) => h.status.status === 'up').length,
              total: fleet.hosts.length,
            })}
          </span>
          <span
            data-testid="status-desktops"
            title={countedOnce ? t('statusbar.desktopsOnce') : undefined}
          >
            {t('statusbar.desktops', {
              running: desktops.filter((vm) => vm.state === 'running').length,
              total: desktops.length,
            })}
          </span>
          <span data-testid="status-connected">
            {t('statusbar.connected', {
              count: desktops.filter((vm) => vm.connectedNow).length,
            })}
          </span>
        </>
      )}
      {status && (
        <>
          <span className="spacer" />
          <span data-testid="status-rate">
            {t('statusbar.rate', { rate: number.format(status.samplesPerSec) })}
          </span>
          {status.central && <CentralNote central={status.central} now={Date.now()} />}
          <span>{t('statusbar.cache', { size: formatBytes(locale, status.historyBytes) })}</span>
          <span>
            {status.syncLagSamples === null
              ? t('statusbar.noSync')
              : t('statusbar.syncLag', { lag: number.format(status.syncLagSamples) })}
          </span>
        </>
      )}
    </footer>
  );
}
