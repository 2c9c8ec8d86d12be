import { fireEvent, render, screen } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ExportButton } from '../../../src/renderer/detail/export-button';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { ContractError } from '../../../src/shared/contract/browser';
import type { Language } from '../../../src/renderer/i18n/messages';
import { answeringClient } from '../answering-client';

const entity = { kind: 'vm' as const, uuid: '5e7a0b0d-0000-4000-8000-000000000001' };
const fromMs = new Date(2026, 11, 6, 20, 30).getTime();
const toMs = new Date(2026, 11, 6, 20, 40).getTime();

function show(language: Language, answer: () => unknown, zoomed = false) {
  const { client, calls } = answeringClient(answer);
  render(
    <I18nProvider language={language}>
      <ExportButton client={client} entity={entity} fromMs={fromMs} toMs={toMs} zoomed={zoomed} />
    </I18nProvider>,
  );
  return calls;
}

const file = (rows: number) => ({
  fileName: 'desk-12_2026-12-06T2030-2040.csv',
  mimeType: 'text/csv',
  rows,
  content: 'time\n',
});

describe('ExportButton', () => {
  beforeAll(() => {
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    HTMLAnchorElement.prototype.click = vi.fn();
  });

  it('exports the span it is given, and says so in its title when zoomed', async () => {
    const calls = show('en', () => file(792), true);
    const button = screen.getByRole('button', { name: 'Export CSV' });
    expect(button.title).toMatch(/^Exports the zoomed span, Dec 6, 2026, 8:30:00 PM to /);
    fireEvent.click(button);
    expect((await screen.findByRole('status')).textContent).toBe('792 rows saved');
    expect(calls[0]?.[1]).toMatchObject({
      fromMs,
      toMs,
      utcOffsetMinutes: -new Date(fromMs).getTimezoneOffset(),
    });
  });

  it('says the rows saved in Korean, and one row as one', async () => {
    show('ko', () => file(792));
    expect(screen.getByRole('button').title).toMatch(/^보이는 기간 /);
    fireEvent.click(screen.getByRole('button'));
    expect((await screen.findByRole('status')).textContent).toBe('792행 저장됨');
  });

  it('says one row in the singular', async () => {
    show('en', () => file(1));
    fireEvent.click(screen.getByRole('button'));
    expect((await screen.findByRole('status')).textContent).toBe('1 row saved');
  });

  it("words a backend's failure in the page's language", async () => {
    show('ko', () => {
      throw new ContractError('failed', 'the export is over 64 MiB: choose a shorter range');
    });
    fireEvent.click(screen.getByRole('button'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^내보내기 실패: /);
  });
});
