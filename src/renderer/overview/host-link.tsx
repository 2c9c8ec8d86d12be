import { useI18n } from '../i18n/i18n';

/** A host's name as the way to its page (opened by the host's id), wherever hosts are listed. */
export function HostLink({
  id,
  name,
  onOpen,
}: {
  id: string;
  name: string;
  onOpen: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="link-button host-name"
      aria-label={t('host.open', { name })}
      onClick={() => onOpen(id)}
    >
      {name}
    </button>
  );
}
