import { useEffect, useRef, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { ApplyPreview } from '../../shared/model/analysis-view';
import type { AuditEntry, AuditScope } from '../../shared/model/audit-entry';
import { useI18n } from '../i18n/i18n';
import { useModal } from '../components/use-modal';
import type { MessageKey } from '../i18n/messages';
import { changeText, sizeText } from './recommendation-text';

const scopes: AuditScope[] = ['live+config', 'live', 'config'];

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

type Phase =
  | { kind: 'loading' }
  | { kind: 'preview'; preview: ApplyPreview }
  | { kind: 'applying'; preview: ApplyPreview }
  | { kind: 'done'; preview: ApplyPreview; entry: AuditEntry }
  | { kind: 'failed'; message: string; preview: ApplyPreview | null };

/**
 * Applying one recommendation: the exact change as libvirt will be asked for it (read
 * from the host just now), where it goes (live, config or both), an explicit "Apply",
 * and what happened, as the audit log has it.
 */
export function ApplyDialog({
  client,
  id,
  windowMs,
  onClose,
}: {
  client: ContractClient;
  id: string;
  windowMs: number;
  onClose: (applied: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [scope, setScope] = useState<AuditScope>('live+config');
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  useModal(dialog);

  useEffect(() => {
    let current = true;
    setPhase({ kind: 'loading' });
    client.request('analysis.preview', { id, windowMs, scope }).then(
      (preview) => current && setPhase({ kind: 'preview', preview }),
      (error: unknown) =>
        current && setPhase({ kind: 'failed', message: messageOf(error), preview: null }),
    );
    return () => {
      current = false;
    };
  }, [client, id, windowMs, scope]);

  const preview = phase.kind === 'loading' ? null : phase.preview;
  const size = (v: number) => (preview ? sizeText(locale, t, preview.change, v) : '');

  function apply(): void {
    if (phase.kind !== 'preview') return;
    const shown = phase.preview;
    setPhase({ kind: 'applying', preview: shown });
    client.request('analysis.apply', { id, windowMs, scope }).then(
      (entry) => setPhase({ kind: 'done', preview: shown, entry }),
      (error: unknown) => setPhase({ kind: 'failed', message: messageOf(error), preview: shown }),
    );
  }

  const done = phase.kind === 'done';
  return (
    <dialog
      ref={dialog}
      className="connect-dialog apply-dialog"
      aria-labelledby="apply-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose(done);
      }}
    >
      <div className="connect-form">
        <h2 id="apply-title">
          {preview
            ? t('analysis.apply.title', { name: preview.vmName })
            : t('analysis.apply.titlePlain')}
        </h2>
        {phase.kind === 'loading' && <p className="muted">{t('analysis.apply.reading')}</p>}
        {preview && (
          <>
            <p className="apply-change" data-testid="apply-change">
              {changeText(locale, t, preview.change, preview.from, preview.to)}
            </p>
            <fieldset className="segmented" disabled={phase.kind !== 'preview'}>
              <legend className="form-label">{t('analysis.apply.scope')}</legend>
              {scopes.map((s) => (
                <label key={s}>
                  <input
                    type="radio"
                    name="apply-scope"
                    value={s}
                    checked={scope === s}
                    onChange={() => setScope(s)}
                  />
                  {t(`analysis.scope.${s}` as MessageKey)}
                </label>
              ))}
            </fieldset>
            <ul className="apply-steps" aria-label={t('analysis.apply.steps')}>
              {preview.steps.map((step) => (
                <li key={`${step.scope}:${step.sets}`}>
                  <span className="status-pill scope-pill">
                    {t(`analysis.scope.${step.scope}` as MessageKey)}
                  </span>{' '}
                  {t(
                    step.scope === 'live'
                      ? `analysis.apply.step.live.${preview.change}`
                      : `analysis.apply.step.config.${step.sets}`,
                    { size: size(preview.to) },
                  )}
                </li>
              ))}
              {preview.skipped.map((part) => (
                <li key={`${part.scope}:${part.why}`} className="muted">
                  {t(`analysis.apply.notDone.${part.why}`, {
                    size: size(preview.to),
                    maximum: part.maximum === null ? '' : size(part.maximum),
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
        {phase.kind === 'failed' && (
          <p className="banner banner-error" role="alert">
            {phase.message}
          </p>
        )}
        {phase.kind === 'done' && (
          <p
            className={`banner ${phase.entry.result === 'applied' ? 'banner-ok' : 'banner-warning'}`}
            role="status"
            data-testid="apply-result"
          >
            {t(`analysis.result.${phase.entry.result}` as MessageKey, {
              scope: t(`analysis.scope.${phase.entry.scope}` as MessageKey),
            })}
            {phase.entry.detail && <span className="muted"> · {phase.entry.detail}</span>}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(done)}>
            {done ? t('analysis.apply.close') : t('analysis.apply.cancel')}
          </button>
          {!done && (
            <button
              type="button"
              className="button-primary"
              disabled={phase.kind !== 'preview'}
              onClick={apply}
            >
              {phase.kind === 'applying'
                ? t('analysis.apply.applying')
                : t('analysis.apply.confirm')}
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}
