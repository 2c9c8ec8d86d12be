import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { EmptyHosts } from '../../src/renderer/components/empty-hosts';
import { I18nProvider } from '../../src/renderer/i18n/i18n';
import { OverviewTable } from '../../src/renderer/overview/overview-table';
import { SyncView } from '../../src/renderer/sync/sync-view';
import { RoleContext, useSessionRole } from '../../src/renderer/use-role';
import { useSettings } from '../../src/renderer/use-settings';
import type { Role } from '../../src/shared/contract/browser';
import { answeringClient } from './answering-client';

function as(role: Role, children: ReactNode) {
  return render(
    <I18nProvider language="en">
      <RoleContext.Provider value={role}>{children}</RoleContext.Provider>
    </I18nProvider>,
  );
}

const noop = () => undefined;
const syncView = {
  target: { url: 'mysql://setmov@db:3306/setmov', tlsCaFile: null, hasPassword: false },
  enabled: true,
};

describe('a viewer', () => {
  it('is not offered Add host, in the overview or when there are no hosts', () => {
    as('viewer', <OverviewTable hosts={[]} onAdd={noop} onEdit={noop} onOpen={noop} />);
    expect(screen.queryByRole('button', { name: 'Add host' })).toBeNull();
    as('viewer', <EmptyHosts onAdd={noop} />);
    expect(screen.queryByRole('button', { name: 'Add host' })).toBeNull();
  });

  it('is offered Add host as an admin', () => {
    as('admin', <OverviewTable hosts={[]} onAdd={noop} onEdit={noop} onOpen={noop} />);
    as('admin', <EmptyHosts onAdd={noop} />);
    expect(screen.getAllByRole('button', { name: 'Add host' })).toHaveLength(2);
  });

  it('is offered no button that changes the sync; an admin is', async () => {
    const { client, calls } = answeringClient((name) => (name === 'sync.get' ? syncView : null));
    as('viewer', <SyncView client={client} />);
    await waitFor(() => expect(calls.map(([name]) => name)).toContain('sync.get'));
    expect(screen.queryAllByRole('button')).toEqual([]);
    as('admin', <SyncView client={client} />);
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Save',
      'Test connection',
      'Initialise schema',
      'Sync now',
      'Remove target',
    ]);
  });

  it('changes language and theme in its own page only, never the saved settings', async () => {
    const saved = {
      defaultPollIntervalSec: 2,
      retention: { rawHours: 48, minuteDays: 30, hourDays: 365 },
      language: 'en',
      theme: 'system',
      analysis: {},
    };
    const { client, calls } = answeringClient((name) => (name === 'settings.get' ? saved : null));
    const { result } = renderHook(() => useSettings(client, 'viewer'));
    await waitFor(() => expect(result.current.settings).not.toBeNull());
    await act(() => result.current.change({ theme: 'dark' }));
    expect(result.current.settings?.theme).toBe('dark');
    expect(calls.map(([name]) => name)).toEqual(['settings.get']);
  });
});

describe('the page’s role', () => {
  it('is what app.session answers, and a viewer’s until it has answered', async () => {
    let answer: (role: { role: Role }) => void = noop;
    const { client } = answeringClient(
      (name) => name === 'app.session' && new Promise((resolve) => (answer = resolve)),
    );
    const { result } = renderHook(() => useSessionRole(client));
    expect(result.current).toBe('viewer');
    act(() => answer({ role: 'admin' }));
    await waitFor(() => expect(result.current).toBe('admin'));
  });
});
