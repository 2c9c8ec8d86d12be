import type { FleetHost } from '../fleet/fleet-store';
import { formatBytes, MISSING } from '../format';
import { useI18n } from '../i18n/i18n';
import { HostLink } from './host-link';
import { SameMachineBanner } from './same-machine-banner';

/** Every host's facts: what it is, rather than how busy it is. */
export function HostsInventory({
  hosts,
  onOpen,
}: {
  hosts: FleetHost[];
  onOpen: (name: string) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <section className="panel" aria-labelledby="hosts-title">
      <header className="panel-header">
        <h1 id="hosts-title">{t('inventory.title')}</h1>
      </header>
      <SameMachineBanner hosts={hosts} />
      <div className="table-scroll">
        <table className="data-table" aria-labelledby="hosts-title">
          <thead>
            <tr>
              <th scope="col">{t('overview.col.host')}</th>
              <th scope="col">{t('fact.ip')}</th>
              <th scope="col">{t('overview.col.status')}</th>
              <th scope="col" className="num">
                {t('fact.cpus')}
              </th>
              <th scope="col">{t('fact.cpuModel')}</th>
              <th scope="col" className="num">
                {t('fact.hostMemory')}
              </th>
              <th scope="col">{t('fact.kernel')}</th>
              <th scope="col">{t('fact.libvirt')}</th>
              <th scope="col">{t('fact.hypervisor')}</th>
              <th scope="col" className="num">
                {t('overview.col.vms')}
              </th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((host) => (
              <tr key={host.id} data-host={host.name}>
                <th scope="row">
                  <HostLink id={host.id} name={host.name} onOpen={onOpen} />
                </th>
                <td>{host.identity?.primaryIp ?? MISSING}</td>
                <td>
                  <span className={`status-pill status-${host.status.status}`}>
                    {t(`status.${host.status.status}`)}
                  </span>
                </td>
                <td className="num">{host.identity?.cpuCount ?? MISSING}</td>
                <td className="cell-wrap">{host.identity?.cpuModel ?? MISSING}</td>
                <td className="num">{formatBytes(locale, host.identity?.memoryTotalBytes)}</td>
                <td>{host.identity?.kernelRelease || MISSING}</td>
                <td data-testid="libvirt-version">{host.libvirt?.libvirtVersion ?? MISSING}</td>
                <td>{host.libvirt?.hypervisorVersion ?? MISSING}</td>
                <td className="num">
                  {host.vms.running} / {host.vms.total}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
