import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AnalysisView } from '../../../src/renderer/analysis/analysis-view';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import { en } from '../../../src/renderer/i18n/messages';
import type { Language } from '../../../src/renderer/i18n/messages';
import type { ApplyPreview } from '../../../src/shared/model/analysis-view';
import { answeringClient } from '../answering-client';
import { WithFleet } from '../fleet-provider';
import { analysis, auditEntry, centralHost, GiB, preview, uuid } from './analysis-fixture';

/** A preview with every kind of step and of part not done. */
const everyStep: ApplyPreview = {
  ...preview('live+config'),
  steps: [
    { scope: 'live', sets: 'size' },
    { scope: 'config', sets: 'maximum' },
    { scope: 'config', sets: 'size' },
  ],
  skipped: [
    { scope: 'live', why: 'above-started-maximum', maximum: 4 * GiB },
    { scope: 'live', why: 'not-running', maximum: null },
    { scope: 'config', why: 'transient', maximum: null },
  ],
};

const entries = [
  auditEntry(2, { change: 'vcpus', before: 2, after: 1, result: 'partial', detail: 'live: no' }),
  auditEntry(1, { before: null }),
];

/** Every key t() can be asked for, plural stems included: none may show as itself. */
const keys = new Set(Object.keys(en).map((k) => k.replace(/_(one|other)$/, '')));

/** Text and the attributes people read (labels, titles) of the whole document. */
function everyText(): string[] {
  const texts = [document.body.textContent ?? ''];
  for (const e of document.body.querySelectorAll('*'))
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = e.getAttribute(name);
      if (value) texts.push(value);
    }
  return texts;
}

function expectWorded(): void {
  for (const text of everyText()) {
    expect(text).not.toMatch(/\{\w+\}/);
    for (const word of text.split(/[\s()·:,]+/)) expect(keys.has(word), word).toBe(false);
  }
}

describe.each<Language>(['en', 'ko'])('analysis texts in %s', (language) => {
  it('leave no placeholder and no key unworded: view, host summaries, waiting, apply, audit', async () => {
    const user = userEvent.setup();
    const { client } = answeringClient((name) => {
      // kvm-b only the central database shows: its desktops offer to connect it instead.
      if (name === 'inventory') return [centralHost('kvm-b', [uuid(2)])];
      if (name === 'analysis.run') return analysis;
      if (name === 'audit.list') return entries;
      if (name === 'analysis.preview') return everyStep;
      return { resolution: '1m', bucketMs: 60_000, points: [] };
    });
    render(
      <I18nProvider language={language}>
        <WithFleet client={client}>
          <AnalysisView client={client} onConnect={() => {}} />
        </WithFleet>
      </I18nProvider>,
    );
    const rows = await screen.findAllByRole('row');
    await waitFor(() => expect(rows.some((r) => r.dataset.recommendation)).toBe(true));
    // The waiting list open, a recommendation's history open.
    for (const details of document.querySelectorAll('details')) details.open = true;
    const big = document.querySelector(
      `[data-recommendation="${uuid(1)}:less-memory"]`,
    ) as HTMLElement;
    await user.click(within(big).getAllByRole('button')[0] as HTMLElement);
    await screen.findByTestId('analysis-central-note');
    expectWorded();

    await user.click(within(big).getAllByRole('button')[1] as HTMLElement);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('apply-change');
    expect(within(dialog).getAllByRole('listitem')).toHaveLength(6);
    expectWorded();
  });
});
