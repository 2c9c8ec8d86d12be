import { useState } from 'react';
import type { SyncTestResult } from '../../shared/contract/requests';
import { StepList } from '../components/step-list';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { syncAdviceKeyOf } from './sync-advice';

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** What the last action said: done, or why not. */
export type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * A MySQL form's actions, one at a time: while one runs the buttons wait; its outcome is
 * a notice (a sentence, or the error) and, for a test, its steps.
 */
export function useFormActions() {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [tested, setTested] = useState<SyncTestResult | null>(null);

  /** Runs `work`; the text it answers is the notice (null: none). */
  async function act(work: () => Promise<string | null>): Promise<void> {
    setBusy(true);
    setNotice(null);
    // A test's steps describe the target as it was: gone once anything changes.
    setTested(null);
    try {
      const text = await work();
      if (text) setNotice({ kind: 'ok', text });
    } catch (error) {
      setNotice({ kind: 'error', text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  }

  return { busy, notice, setNotice, tested, setTested, act };
}

/** The notice and a test's steps, each with its advice where the error has one. */
export function FormOutcome({
  notice,
  tested,
  testLabel,
}: {
  notice: Notice;
  tested: SyncTestResult | null;
  testLabel: string;
}) {
  const { t } = useI18n();
  const noticeAdvice = notice?.kind === 'error' ? syncAdviceKeyOf(notice.text) : null;
  return (
    <>
      {notice && (
        <div
          className={notice.kind === 'ok' ? 'notice-ok' : 'banner banner-error'}
          role={notice.kind === 'ok' ? 'status' : 'alert'}
        >
          {notice.text}
          {noticeAdvice && <div>{t(noticeAdvice)}</div>}
        </div>
      )}
      {tested && (
        <StepList
          steps={tested.steps}
          label={testLabel}
          nameOf={(step) => t(`sync.step.${step}` as MessageKey)}
          hintOf={(step) => {
            const key = syncAdviceKeyOf(step.error);
            return key && t(key);
          }}
        />
      )}
    </>
  );
}
