import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ranges } from './series';
import type { Range } from './series';

/** Live or a past range of the history, as a row of toggle buttons. */
export function RangePicker({ range, onRange }: { range: Range; onRange: (range: Range) => void }) {
  const { t } = useI18n();
  return (
    <div className="range-picker" role="group" aria-label={t('detail.range')}>
      {ranges.map((name) => (
        <button
          key={name}
          type="button"
          aria-pressed={range === name}
          className={range === name ? 'range-on' : undefined}
          onClick={() => onRange(name)}
        >
          {t(`range.${name}` as MessageKey)}
        </button>
      ))}
    </div>
  );
}
