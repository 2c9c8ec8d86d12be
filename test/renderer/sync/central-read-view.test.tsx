import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { CentralReadView } from '../../../src/renderer/sync/central-read-view';
import { RoleContext } from '../../../src/renderer/use-role';
import type { Role } from '../../../src/shared/contract/request-roles';
import type { CentralView } from '../../../src/shared/model/host-view';
import { answeringClient } from '../answering-client';

const at = Date.parse('2026-12-07T19:40:00Z');

const reading: CentralView = {
  target: {
    url: 'mysql://setmov_console@db1:3306,db2:3306/setmov',
    tlsCaFile: null,
    hasPassword: true,
    enabled: true,
    refreshSec: 2,
    staleAfterSec: 60,
  },
  fixed: false,
  status: {
    node: 'db2:3306',
    lastReadAt: at,
    error: null,
    failingSince: null,
    failedOverAt: null,
    rejectedRows: 0,
  },
};

function show(
  view: CentralView,
  role: Role = 'admin',
  answer?: (name: string, p: unknown) => unknown,
) {
  const answered = answeringClient((name, params) =>
    name === 'central.get' ? view : answer?.(name, params),
  );
  render(
    <I18nProvider language="en">
      <RoleContext.Provider value={role}>
        <CentralReadView client={answered.client} />
      </RoleContext.Provider>
    </I18nProvider>,
  );
  return answered.calls;
}

describe('the central database the fleet is read from, in the settings', () => {
  it('shows the saved choice and how reading goes, and saves the form with the password typed once', async () => {
    const calls = show(reading, 'admin', (name) => (name === 'central.set' ? reading : undefined));
    expect((await screen.findByTestId('central-state')).textContent).toBe('Reading');
    expect(screen.getByTestId('central-node').textContent).toBe('db2:3306');
    const form = screen.getByRole('form', { name: 'Fleet from the central database' });
    expect(
      (within(form).getByRole('textbox', { name: /Database URL/ }) as HTMLInputElement).value,
    ).toBe(reading.target?.url);
    within(form).getByText(/A password is kept for this target/);
    const refresh = within(form).getByRole('spinbutton', { name: 'Read every (s)' });
    await userEvent.clear(refresh);
    await userEvent.type(refresh, '5');
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved.');
    expect(calls.find(([name]) => name === 'central.set')?.[1]).toEqual({
      url: reading.target?.url,
      tlsCaFile: null,
      enabled: true,
      refreshSec: 5,
      staleAfterSec: 60,
    });
  });

  it('says why reads fail, and since when', async () => {
    show({
      ...reading,
      status: {
        ...reading.status!,
        error: 'access denied for setmov_console',
        failingSince: at,
      },
    });
    expect((await screen.findByTestId('central-state')).textContent).toBe('Failing');
    screen.getByText(/access denied for setmov_console/);
  });

  it('shows a choice made on the command line without a form to change it', async () => {
    show({ ...reading, fixed: true });
    expect((await screen.findByTestId('central-fixed')).textContent).toMatch(
      /Read from mysql:\/\/setmov_console@db1:3306,db2:3306\/setmov, as given on the command line/,
    );
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('shows a viewer how reading goes, not the form', async () => {
    show(reading, 'viewer');
    expect((await screen.findByTestId('central-state')).textContent).toBe('Reading');
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('says so when none is set', async () => {
    show({ target: null, fixed: false, status: null });
    expect((await screen.findByTestId('central-state')).textContent).toBe('Not set');
    expect(
      (screen.getByRole('button', { name: 'Stop reading and forget' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
  });
});
