import { useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { useModal } from './use-modal';

/** The app's own "are you sure?": a modal with the question, Cancel and the action named. */
export function ConfirmDialog({
  question,
  action,
  onConfirm,
  onCancel,
}: {
  question: string;
  /** The confirming button's label, e.g. "Remove". */
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useModal(dialog);
  return (
    <dialog
      ref={dialog}
      className="connect-dialog confirm-dialog"
      role="alertdialog"
      aria-labelledby="confirm-question"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <div className="connect-form">
        <p id="confirm-question">{question}</p>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" onClick={onCancel}>
            {t('connect.cancel')}
          </button>
          <button type="button" className="button-danger" onClick={onConfirm}>
            {action}
          </button>
        </div>
      </div>
    </dialog>
  );
}
