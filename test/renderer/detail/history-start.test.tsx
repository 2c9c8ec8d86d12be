import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { DetailPage } from '../../../src/renderer/detail/detail-page';
import type { ChartSpec } from '../../../src/renderer/detail/detail-page';
import type { Range } from '../../../src/renderer/detail/series';
import type { SeriesSource } from '../../../src/renderer/detail/use-metric-series';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import type { ContractClient } from '../../../src/shared/contract/browser';
import type { HistoryResult } from '../../../src/shared/contract/requests';
import { answeringClient } from '../answering-client';

const uuid = '5e7a0b0d-0000-4000-8000-000000000001';
const source: SeriesSource = {
  entity: { kind: 'vm', uuid },
  metrics: ['cpuGuestPercent'],
  topic: `vm:${uuid}`,
  listen: () => () => undefined,
};
const charts: ChartSpec[] = [
  {
    title: 'chart.cpu' as const,
    format: (v: number) => `${v}%`,
    series: [{ metric: 'cpuGuestPercent', label: 'chart.cpu' as const, color: '#2563eb' }],
  },
];

/** The history of a VM first sampled `ageMs` ago: hourly points from then on. */
function historySince(ageMs: number | null): HistoryResult {
  const now = Date.now();
  if (ageMs === null) return { resolution: '1h', bucketMs: 3_600_000, points: [] };
  return {
    resolution: '1h',
    bucketMs: 3_600_000,
    points: [
      { ts: now - 7 * 86_400_000, n: 0, values: { cpuGuestPercent: null } },
      { ts: now - ageMs, n: 60, values: { cpuGuestPercent: { min: 1, avg: 5, max: 9 } } },
    ],
  };
}

/** The page with its range held here, as the console holds it in its route. */
function RangedPage({ client }: { client: ContractClient }) {
  const [range, setRange] = useState<Range>('live');
  return (
    <DetailPage
      client={client}
      title="desk"
      badges={null}
      source={source}
      charts={charts}
      onBack={() => undefined}
      backLabel="Desktops"
      range={range}
      onRange={setRange}
    >
      {null}
    </DetailPage>
  );
}

function show(ageMs: number | null, language: 'en' | 'ko' = 'en') {
  const { client } = answeringClient(() => historySince(ageMs));
  render(
    <I18nProvider language={language}>
      <RangedPage client={client} />
    </I18nProvider>,
  );
}

describe('a past range says where the history begins', () => {
  it('names the first sample of a history younger than the range', async () => {
    show(3_600_000);
    fireEvent.click(screen.getByRole('button', { name: '7 days' }));
    expect(
      await screen.findByText(/The history begins at .+: nothing is kept from before/),
    ).toBeTruthy();
  });

  it('says there is none yet when the range holds no value', async () => {
    show(null);
    fireEvent.click(screen.getByRole('button', { name: '30 days' }));
    expect(await screen.findByText(/No history in this range yet/)).toBeTruthy();
  });

  it('says nothing of it for the live range', async () => {
    show(3_600_000);
    await screen.findByText('desk');
    expect(screen.queryByText(/The history begins at/)).toBeNull();
  });
});
