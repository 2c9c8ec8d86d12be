import { useI18n } from '../i18n/i18n';

/** A MySQL target as a form holds it: the password is sent once and never shown back. */
export interface TargetFields {
  url: string;
  tlsCaFile: string;
  password: string;
}

/** The URL, TLS CA and password of a MySQL target: the sync's and the fleet read's forms. */
export function MysqlTargetFields({
  value,
  onChange,
  hasPassword,
  placeholder,
}: {
  value: TargetFields;
  onChange: (next: TargetFields) => void;
  /** A password is kept for the saved target. */
  hasPassword: boolean;
  placeholder: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <label className="form-field">
        <span className="form-label">{t('sync.url')}</span>
        <input
          required
          value={value.url}
          placeholder={placeholder}
          onChange={(event) => onChange({ ...value, url: event.target.value })}
        />
        <span className="form-hint">{t('sync.url.hint')}</span>
      </label>
      <label className="form-field">
        <span className="form-label">{t('sync.tlsCa')}</span>
        <input
          value={value.tlsCaFile}
          onChange={(event) => onChange({ ...value, tlsCaFile: event.target.value })}
        />
      </label>
      <label className="form-field">
        <span className="form-label">{t('sync.password')}</span>
        <input
          type="password"
          autoComplete="off"
          value={value.password}
          onChange={(event) => onChange({ ...value, password: event.target.value })}
        />
        <span className="form-hint">
          {hasPassword ? t('sync.password.kept') : t('sync.password.none')}
        </span>
      </label>
    </>
  );
}

/** A form's target as a request sends it: a password only when one was typed. */
export function targetParams(fields: TargetFields): {
  url: string;
  tlsCaFile: string | null;
  password?: string;
} {
  return {
    url: fields.url.trim(),
    tlsCaFile: fields.tlsCaFile.trim() || null,
    ...(fields.password ? { password: fields.password } : {}),
  };
}
