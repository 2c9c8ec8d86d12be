import type { ReactNode } from 'react';
import type { Desktop, FleetHost } from '../fleet/fleet-store';
import { useI18n } from '../i18n/i18n';
import { useNavigation } from '../navigation';

/** The most of an asked-for address or id shown: a hostile link can be kilobytes long. */
const SHOWN_CHARS = 120;

const cut = (text: string): string =>
  text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;

/**
 * An address as a person reads it: each run of escapes that decodes ('%EA%B0%80') as its
 * text ('가'), the others (a bad or cut escape) as they are.
 */
function readable(link: string): string {
  return link.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * What a link that leads nowhere shows, in place of the page: what was asked for, why
 * it may not be there, and the way back to a list (never a blank view).
 */
function NotFoundPage({
  title,
  action,
  onAction,
  children,
}: {
  title: string;
  action: string;
  onAction: () => void;
  children: ReactNode;
}) {
  return (
    <section className="empty-state not-found" aria-labelledby="not-found-title">
      <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
        <path d="M20 8a12 12 0 1 1 0 24a12 12 0 1 1 0-24zM29 29l11 11M16 16l8 8M24 16l-8 8" />
      </svg>
      <h1 id="not-found-title">{title}</h1>
      {children}
      <button type="button" className="button-primary empty-action" onClick={onAction}>
        {action}
      </button>
    </section>
  );
}

/** The hash is not an address of the console: cut or damaged, or from a newer version. */
export function UnknownLink({ link, onHome }: { link: string; onHome: () => void }) {
  const { t } = useI18n();
  return (
    <NotFoundPage
      title={t('notFound.link.title')}
      action={t('notFound.link.home')}
      onAction={onHome}
    >
      <p>{t('notFound.link.body')}</p>
      <p>
        <code className="not-found-asked">{cut(readable(link))}</code>
      </p>
      <p>{t('notFound.link.why')}</p>
    </NotFoundPage>
  );
}

/** A host's page asked for by an id no saved host has (the inventory has loaded). */
export function MissingHost({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useI18n();
  return (
    <NotFoundPage title={t('notFound.host.title')} action={t('host.back')} onAction={onBack}>
      <p>{t('notFound.host.body')}</p>
      <p>
        <code className="not-found-asked">{cut(id)}</code>
      </p>
      <p>{t('notFound.host.why')}</p>
    </NotFoundPage>
  );
}

/**
 * A desktop's page asked for by a host id and UUID the inventory does not list. A host
 * still connecting has not listed its desktops yet: that is waited for, not "not found".
 * The same UUID under another saved host (moved, or the host saved again under a new id)
 * is offered.
 */
export function MissingDesktop({
  asked,
  hosts,
  desktops,
  onBack,
}: {
  asked: { host: string; uuid: string };
  hosts: readonly FleetHost[];
  desktops: readonly Desktop[];
  onBack: () => void;
}) {
  const { t } = useI18n();
  const { openVm } = useNavigation();
  const host = hosts.find((h) => h.id === asked.host);
  if (host?.status.status === 'connecting') {
    return (
      <p className="muted" role="status">
        {t('notFound.vm.waiting', { host: host.name })}
      </p>
    );
  }
  const elsewhere = desktops.filter((vm) => vm.uuid === asked.uuid);
  return (
    <NotFoundPage title={t('notFound.vm.title')} action={t('detail.back')} onAction={onBack}>
      <p>
        {host
          ? t('notFound.vm.body', { host: host.name })
          : t('notFound.vm.noHost', { host: cut(asked.host) })}
      </p>
      <p>
        <code className="not-found-asked">{cut(asked.uuid)}</code>
      </p>
      {host && host.status.status !== 'up' && (
        <p>
          {t('notFound.vm.hostDown', {
            host: host.name,
            status: t(`status.${host.status.status}`),
          })}
        </p>
      )}
      <p>{t('notFound.vm.why')}</p>
      {elsewhere.length > 0 && (
        <>
          <p>{t('notFound.vm.elsewhere')}</p>
          <ul className="not-found-elsewhere">
            {elsewhere.map((vm) => (
              <li key={vm.host}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => openVm(vm.host, vm.uuid)}
                >
                  {t('notFound.vm.openOn', { name: vm.name, host: vm.hostName })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </NotFoundPage>
  );
}
