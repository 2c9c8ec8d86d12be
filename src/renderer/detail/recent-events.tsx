import { useEffect, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { VmEventRecord } from '../../shared/model/host-view';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const REFRESH_MS = 30_000;

/** A VM's latest lifecycle changes and display connects (with the client's address). */
export function RecentEvents({ client, uuid }: { client: ContractClient; uuid: string }) {
  const { t, locale } = useI18n();
  const [events, setEvents] = useState<VmEventRecord[] | null>(null);
  useEffect(() => {
    let current = true;
    const read = (): void =>
      void client.request('vm.events', { uuid, limit: 20 }).then(
        (got) => current && setEvents(got),
        () => undefined,
      );
    read();
    const timer = setInterval(read, REFRESH_MS);
    // A display client coming or going is an event to show now, not in 30 s.
    const stop = client.subscribe('vm.display', (display) => {
      if (display.uuid === uuid) setTimeout(read, 500);
    });
    return () => {
      current = false;
      clearInterval(timer);
      stop();
    };
  }, [client, uuid]);
  if (!events) return null;
  if (events.length === 0) return <p className="muted panel-caption">{t('events.none')}</p>;
  return (
    <ol className="event-list" aria-label={t('events.title')}>
      {events.map((event, i) => (
        <li key={`${event.ts}-${i}`} className={`event event-${event.kind}`}>
          <time dateTime={new Date(event.ts).toISOString()}>
            {formatDateTime(locale, event.ts)}
          </time>
          <span>{t(`events.${event.kind}` as MessageKey)}</span>
          <span className="muted">{event.detail ?? ''}</span>
        </li>
      ))}
    </ol>
  );
}
