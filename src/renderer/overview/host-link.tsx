import { useI18n } from '../i18n/i18n';

/** A host's name as the way to its page, in the overview and the hosts inventory. */
export function HostLink({ name, onOpen }: { name: string; onOpen: (name: string) => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="link-button host-name"
      aria-label={t('host.open', { name })}
      onClick={() => onOpen(name)}
    >
      {name}
    </button>
  );
}
