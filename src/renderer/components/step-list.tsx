import { useI18n } from '../i18n/i18n';

export interface Step {
  step: string;
  result: 'ok' | 'failed' | 'skipped';
  error: string | null;
}

/** A connection test's steps, each with its result and, when it failed, why. */
export function StepList({
  steps,
  label,
  nameOf,
  hintOf,
}: {
  steps: readonly Step[];
  /** The list's accessible name. */
  label: string;
  nameOf: (step: string) => string;
  /** What to check for a failed step whose cause is a common one; its raw error stays below. */
  hintOf?: (step: Step) => string | null;
}) {
  const { t } = useI18n();
  return (
    <ol className="test-steps" aria-label={label}>
      {steps.map((step) => (
        <li key={step.step} className={`test-step test-${step.result}`} data-step={step.step}>
          <span className="test-mark" aria-hidden="true">
            {step.result === 'ok' ? '✓' : step.result === 'failed' ? '✕' : '–'}
          </span>
          <span className="test-name">{nameOf(step.step)}</span>
          <span className="test-outcome">{t(`connect.result.${step.result}`)}</span>
          {step.result === 'failed' && hintOf?.(step) && (
            <span className="test-hint">{hintOf(step)}</span>
          )}
          {step.error && <span className="test-error">{step.error}</span>}
        </li>
      ))}
    </ol>
  );
}
