import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { SyncView } from '../../../src/renderer/sync/sync-view';
import { RoleContext } from '../../../src/renderer/use-role';
import { ContractError } from '../../../src/shared/contract/reply';
import type {
  SyncErrorCode,
  SyncView as SyncViewModel,
} from '../../../src/shared/model/sync-status';
import { answeringClient } from '../answering-client';

const at = Date.parse('2026-12-06T20:50:00Z');

function failing(code: SyncErrorCode, message: string): SyncViewModel {
  return {
    target: {
      url: 'mysql://setmov@db:3306/vdi-prod',
      tlsCaFile: null,
      hasPassword: true,
      enabled: true,
    },
    status: {
      target: 'mysql://setmov@db:3306/vdi-prod',
      state: 'error',
      lastSuccessAt: null,
      lagSamples: 12,
      lastError: { code, message, at },
      sentRows: 0,
      parkedRows: 0,
      lastParked: null,
      node: null,
      failovers: 0,
      conflictRetries: 0,
      prunedRows: 0,
      oldestPendingAt: null,
    },
  };
}

function show(
  view: SyncViewModel,
  language: 'en' | 'ko' = 'en',
  answer?: (name: string) => unknown,
) {
  const { client } = answeringClient((name) => (name === 'sync.get' ? view : answer?.(name)));
  render(
    <I18nProvider language={language}>
      <RoleContext.Provider value="admin">
        <SyncView client={client} />
      </RoleContext.Provider>
    </I18nProvider>,
  );
}

/** The dd after the status panel's "Last error". */
const lastError = async (): Promise<HTMLElement> =>
  (await screen.findByText(/^(Last error|마지막 오류)$/)).nextElementSibling as HTMLElement;

describe('the Sync view words its advice for the page, never the CLI', () => {
  it.each([
    [
      'unknown-database',
      "MySQL db:3306: Unknown database 'vdi-prod': the database does not exist",
      'en',
      'The database does not exist yet: press Initialise schema to create it, or create it yourself and grant the user all rights on it.',
    ],
    [
      'schema-missing',
      'MySQL db:3306: the database has no SETMOV tables',
      'en',
      'The tables are not created yet: press Initialise schema.',
    ],
    [
      'schema-old',
      'MySQL db:3306: schema version 1 is older than 2',
      'en',
      'Press Initialise schema to upgrade the tables.',
    ],
    [
      'unknown-database',
      "MySQL db:3306: Unknown database 'vdi-prod': the database does not exist",
      'ko',
      '데이터베이스가 아직 없습니다. 스키마 초기화를 눌러 만들거나, 직접 만든 뒤 사용자에게 모든 권한을 부여하십시오.',
    ],
    [
      'schema-missing',
      'MySQL db:3306: the database has no SETMOV tables',
      'ko',
      '테이블이 아직 없습니다. 스키마 초기화를 누르십시오.',
    ],
  ] as const)('%s (%s) under Last error', async (code, message, language, advice) => {
    show(failing(code, message), language);
    const error = await lastError();
    expect(error.textContent).toContain(`${code}: ${message}`);
    expect(within(error).getByText(advice)).toBeTruthy();
    expect(error.textContent).not.toMatch(/setmov sync|--init/);
  });

  it('adds nothing to an error the button does not fix', async () => {
    show(failing('connection-refused', 'MySQL db:3306: nothing listens there'));
    const error = await lastError();
    expect(error.textContent).not.toMatch(/Initialise schema/);
  });

  it('words the advice of a failed action too', async () => {
    show(
      failing('schema-missing', 'MySQL db:3306: the database has no SETMOV tables'),
      'en',
      (name) => {
        if (name === 'sync.now')
          throw new ContractError(
            'failed',
            'schema-missing: MySQL db:3306: the database has no SETMOV tables',
          );
        return null;
      },
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'schema-missing: MySQL db:3306: the database has no SETMOV tables',
    );
    expect(alert.textContent).toContain('The tables are not created yet: press Initialise schema.');
  });

  it('words the advice of a failed connection test', async () => {
    show(failing('schema-missing', 'x'), 'en', (name) =>
      name === 'sync.test'
        ? {
            steps: [
              { step: 'config', result: 'ok', error: null },
              {
                step: 'connect',
                result: 'failed',
                error:
                  "unknown-database: MySQL db:3306: Unknown database 'vdi-prod': the database does not exist",
              },
              { step: 'schema', result: 'skipped', error: null },
            ],
            schemaVersion: null,
            expectedSchemaVersion: 2,
          }
        : null,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Test connection' }));
    const steps = await screen.findByRole('list', { name: 'Test connection' });
    expect(steps.textContent).toContain(
      'The database does not exist yet: press Initialise schema to create it',
    );
  });
});

describe('the Sync view names the cluster node in use', () => {
  it.each([
    ['en', '127.0.0.1:4307 · moved to another node 2× · 3 refused batches sent again'],
    ['ko', '127.0.0.1:4307 · 다른 노드로 2번 전환 · 거부된 배치 3개 다시 보냄'],
  ] as const)('%s', async (language, text) => {
    const view = failing('connection-lost', 'MySQL 127.0.0.1:4306: connection lost');
    show(
      {
        ...view,
        status: {
          ...view.status!,
          state: 'idle',
          lastError: null,
          node: '127.0.0.1:4307',
          failovers: 2,
          conflictRetries: 3,
        },
      },
      language,
    );
    expect((await screen.findByTestId('sync-node')).textContent).toBe(text);
  });

  it('says nothing of moves or resends when there were none', async () => {
    const view = failing('connection-lost', 'x');
    show({ ...view, status: { ...view.status!, lastError: null, node: 'db:3306' } });
    expect((await screen.findByTestId('sync-node')).textContent).toBe('db:3306');
  });
});
