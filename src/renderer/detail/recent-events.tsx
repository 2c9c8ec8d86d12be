import { useEffect, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { HostEventRecord, VmEventRecord } from '../../shared/model/host-view';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const REFRESH_MS = 30_000;
const LIMIT = 20;

/** Whose events: one VM's, or those of every VM on a host (each with its VM's name). */
export type EventsOf = { kind: 'vm'; uuid: string } | { kind: 'host'; id: string };

type EventRow = VmEventRecord & Partial<Pick<HostEventRecord, 'vmName'>>;

function read(client: ContractClient, of: EventsOf): Promise<EventRow[]> {
  return of.kind === 'vm'
    ? client.request('vm.events', { uuid: of.uuid, limit: LIMIT })
    : client.request('host.events', { id: of.id, limit: LIMIT });
}

/** The latest lifecycle changes and display connects (with the client's address). */
export function RecentEvents({ client, of }: { client: ContractClient; of: EventsOf }) {
  const { t, locale } = useI18n();
  const [events, setEvents] = useState<EventRow[] | null>(null);
  const key = of.kind === 'vm' ? of.uuid : of.id;
  useEffect(() => {
    let current = true;
    const refresh = (): void =>
      void read(client, of).then(
        (got) => current && setEvents(got),
        () => undefined,
      );
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    // A display client coming or going is an event to show now, not in 30 s.
    const stop = client.subscribe('vm.display', (display) => {
      if (of.kind === 'vm' ? display.uuid === of.uuid : display.hostId === of.id) {
        setTimeout(refresh, 500);
      }
    });
    return () => {
      current = false;
      clearInterval(timer);
      stop();
    };
    // key stands for `of`, which callers build anew each render.
  }, [client, key]);
  if (!events) return null;
  if (events.length === 0) return <p className="muted panel-caption">{t('events.none')}</p>;
  return (
    <ol className="event-list" aria-label={t('events.title')}>
      {events.map((event, i) => (
        <li key={`${event.ts}-${i}`} className={`event event-${event.kind}`}>
          <time dateTime={new Date(event.ts).toISOString()}>
            {formatDateTime(locale, event.ts)}
          </time>
          {event.vmName !== undefined && <span className="event-vm">{event.vmName}</span>}
          <span>{t(`events.${event.kind}` as MessageKey)}</span>
          <span className="muted">{event.detail ?? ''}</span>
        </li>
      ))}
    </ol>
  );
}
