import type { ClientKind } from '../contract-client/pick-client';
import type { VersionState } from '../use-app-version';

const kindLabel: Record<ClientKind, string> = { desktop: 'Desktop', web: 'Web console' };

export function AppBar({ version, kind }: { version: VersionState; kind: ClientKind }) {
  return (
    <header className="app-bar">
      <div className="brand">
        <img className="brand-mark" src="./icon.svg" alt="" width={28} height={28} />
        <span className="brand-name">SETMOV</span>
        <span className="brand-product">Console</span>
      </div>
      <div className="app-bar-meta">
        <span className="badge" title="How this console reaches its backend">
          {kindLabel[kind]}
        </span>
        <span className="version" data-testid="app-version" aria-live="polite">
          {version.status === 'ready' && `v${version.value.version}`}
          {version.status === 'loading' && 'v…'}
          {version.status === 'failed' && 'version unavailable'}
        </span>
      </div>
    </header>
  );
}
