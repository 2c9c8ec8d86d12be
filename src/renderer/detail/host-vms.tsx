import { useMemo } from 'react';
import type { Desktop } from '../fleet/fleet-store';
import { useFleet } from '../fleet/use-fleet';
import { formatBytes, textCollator } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useNavigation } from '../navigation';

/**
 * The desktops of one host, each a way to its page: what runs there is the first thing
 * an admin looks for on a host's page. Gone ones are left out, running ones first.
 */
export function HostVms({ host }: { host: string }) {
  const { t, locale } = useI18n();
  const collator = textCollator(locale);
  const fleet = useFleet();
  const { openVm } = useNavigation();
  const desktops = useMemo(() => {
    const all: readonly Desktop[] = fleet.state === 'ready' ? fleet.desktops : [];
    return all
      .filter((vm) => vm.host === host && !vm.gone)
      .sort(
        (a, b) =>
          Number(b.state === 'running') - Number(a.state === 'running') ||
          collator.compare(a.name, b.name),
      );
  }, [fleet, host, collator]);
  if (desktops.length === 0) return <p className="muted">{t('host.vms.none')}</p>;
  return (
    <table className="data-table host-vms">
      <thead>
        <tr>
          <th scope="col">{t('col.name')}</th>
          <th scope="col">{t('col.state')}</th>
          <th scope="col" className="num">
            {t('col.vcpus')}
          </th>
          <th scope="col" className="num">
            {t('col.memAllocated')}
          </th>
        </tr>
      </thead>
      <tbody>
        {desktops.map((vm) => (
          <tr key={vm.uuid}>
            <td>
              <button
                type="button"
                className="link-button vm-name"
                onClick={() => openVm(vm.host, vm.uuid)}
              >
                {vm.name}
              </button>
              {vm.connectedNow && <span className="badge-live">{t('lct.now')}</span>}
            </td>
            <td>
              <span className={`vm-state vm-state-${vm.state}`}>
                {t(`vmstate.${vm.state}` as MessageKey)}
              </span>
            </td>
            <td className="num">{vm.vcpus}</td>
            <td className="num">
              {formatBytes(locale, vm.figures?.memAllocatedBytes ?? vm.currentMemoryBytes)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
