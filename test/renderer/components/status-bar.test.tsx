import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FAILOVER_NOTE_MS, StatusBar } from '../../../src/renderer/components/status-bar';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import type { AppStatus, CentralReadStatus } from '../../../src/shared/model/host-view';
import { answeringClient } from '../answering-client';

const NOW = Date.now();

const reading: CentralReadStatus = {
  node: 'db1:3306',
  lastReadAt: NOW - 1_000,
  error: null,
  failingSince: null,
  failedOverAt: null,
  rejectedRows: 0,
};

/** The status bar as the backend answers app.status with `central`. */
async function noteFor(central: CentralReadStatus | null, language: 'en' | 'ko' = 'en') {
  const status: AppStatus = {
    samplesPerSec: 0,
    historyBytes: 0,
    syncLagSamples: null,
    central,
  };
  const { client } = answeringClient((name) => (name === 'app.status' ? status : null));
  render(
    <I18nProvider language={language}>
      <StatusBar client={client} fleet={{ state: 'loading' }} />
    </I18nProvider>,
  );
  await screen.findByTestId('status-rate');
  return screen.queryByTestId('status-central');
}

describe('the status bar, reading the fleet from the central database', () => {
  it('names the node quietly while the reads work', async () => {
    const note = await noteFor(reading);
    expect(note?.textContent).toBe('Fleet from the central database (db1:3306)');
    expect(note?.className).toBe('status-note');
  });

  it('says since when reads fail and how old the figures are, with the reason on hover', async () => {
    const note = await noteFor({
      ...reading,
      lastReadAt: Date.UTC(2026, 11, 7, 9, 0, 0),
      error: 'MySQL db1:3306: connection refused',
      failingSince: Date.UTC(2026, 11, 7, 9, 0, 2),
    });
    expect(note?.className).toContain('status-note-warn');
    expect(note?.textContent).toMatch(
      /^Central database not answering since .+: its hosts show figures of .+$/,
    );
    expect(note?.title).toBe('MySQL db1:3306: connection refused');
  });

  it('says a move to another node for a minute, then only the node', async () => {
    const moved = await noteFor({ ...reading, node: 'db2:3306', failedOverAt: NOW - 5_000 });
    expect(moved?.textContent).toMatch(/^Central database: reading from db2:3306 since /);
    document.body.innerHTML = '';
    const later = await noteFor({
      ...reading,
      node: 'db2:3306',
      failedOverAt: NOW - FAILOVER_NOTE_MS - 1_000,
    });
    expect(later?.textContent).toBe('Fleet from the central database (db2:3306)');
  });

  it('counts rows left out, in Korean too', async () => {
    const note = await noteFor({ ...reading, rejectedRows: 3 }, 'ko');
    expect(note?.textContent).toBe(
      '중앙 데이터베이스의 전체 현황 (db1:3306) · 행 3개 제외됨 (로그 참조)',
    );
  });

  it('shows nothing of it when the fleet is not read from a central database', async () => {
    expect(await noteFor(null)).toBeNull();
  });
});
