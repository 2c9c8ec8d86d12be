import { useEffect, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { useI18n } from '../i18n/i18n';
import type { View } from './view-tabs';
import { useIsAdmin } from '../use-role';

/**
 * Under an overview of one host, what that host is and where to go next: on a first
 * start the console watches the machine it runs on, and a lone row on a wide page says
 * neither that nor what to do.
 */
export function FirstSteps({
  client,
  onAdd,
  onView,
}: {
  client: ContractClient;
  onAdd: () => void;
  onView: (view: View) => void;
}) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    client.request('hosts.list').then(
      (hosts) => current && setLocal(hosts.find((h) => h.ssh === null)?.name ?? null),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client]);
  return (
    <section className="panel first-steps" aria-labelledby="first-steps-title">
      <h2 id="first-steps-title">{t('firstSteps.title')}</h2>
      {local !== null && <p>{t('firstSteps.local', { name: local })}</p>}
      <ul>
        {admin && (
          <li>
            <button type="button" className="link-button" onClick={onAdd}>
              {t('hosts.add')}
            </button>
            {': '}
            {t('firstSteps.add')}
          </li>
        )}
        <li>
          <button type="button" className="link-button" onClick={() => onView('desktops')}>
            {t('nav.desktops')}
          </button>
          {': '}
          {t('firstSteps.desktops')}
        </li>
        <li>
          <button type="button" className="link-button" onClick={() => onView('analysis')}>
            {t('nav.analysis')}
          </button>
          {': '}
          {t('firstSteps.analysis')}
        </li>
        {admin && (
          <li>
            <button type="button" className="link-button" onClick={() => onView('sync')}>
              {t('nav.sync')}
            </button>
            {': '}
            {t('firstSteps.sync')}
          </li>
        )}
      </ul>
    </section>
  );
}
