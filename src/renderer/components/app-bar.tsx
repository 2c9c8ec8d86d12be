import type { ReactNode } from 'react';
import type { ClientKind } from '../contract-client/pick-client';
import { useI18n } from '../i18n/i18n';
import type { VersionState } from '../use-app-version';

export function AppBar({
  version,
  kind,
  children,
}: {
  version: VersionState;
  kind: ClientKind;
  /** The views and the preferences, between the brand and the version. */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <header className="app-bar">
      <div className="brand">
        <img className="brand-mark" src="./icon.svg" alt="" width={28} height={28} />
        <span className="brand-name">SETMOV</span>
        <span className="brand-product">{t('app.product')}</span>
      </div>
      {children}
      <div className="app-bar-meta">
        <span className="badge" title={t('app.kind.title')}>
          {t(`app.kind.${kind}`)}
        </span>
        <span className="version" data-testid="app-version" aria-live="polite">
          {version.status === 'ready' && `v${version.value.version}`}
          {version.status === 'loading' && 'v…'}
          {version.status === 'failed' && t('app.version.unavailable')}
        </span>
      </div>
    </header>
  );
}
