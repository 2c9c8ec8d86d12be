import { lazy, Suspense } from 'react';
import type { ComponentType } from 'react';
import { useI18n } from '../i18n/i18n';

/*
 * The detail pages carry chart.js, its time adapter and the zoom plugin: most of the
 * console's script. They load when a page is first opened, so the overview a VDI admin
 * opens every morning parses only what it shows.
 */
const HostDetailPage = lazy(() => import('./host-detail').then((m) => ({ default: m.HostDetail })));
const VmDetailPage = lazy(() => import('./vm-detail').then((m) => ({ default: m.VmDetail })));

function DetailLoading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('detail.loading')}
    </p>
  );
}

function withSuspense<P extends object>(Page: ComponentType<P>) {
  return function Loaded(props: P) {
    return (
      <Suspense fallback={<DetailLoading />}>
        <Page {...props} />
      </Suspense>
    );
  };
}

export const HostDetail = withSuspense(HostDetailPage);
export const VmDetail = withSuspense(VmDetailPage);
