import { useMemo } from 'react';
import type { FleetHost } from '../fleet/fleet-store';
import { hostNames, sameMachines } from '../fleet/same-machine';
import { useI18n } from '../i18n/i18n';

/**
 * Says which saved hosts are one machine (their daemons name one libvirt host UUID): its
 * desktops are listed under each, so the admin should keep one. Nothing when there is none.
 */
export function SameMachineBanner({ hosts }: { hosts: readonly FleetHost[] }) {
  const { t, locale } = useI18n();
  const machines = useMemo(() => sameMachines(hosts), [hosts]);
  if (machines.length === 0) return null;
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  return (
    <>
      {machines.map((machine) => (
        <div
          key={machine.hostUuid}
          className="banner banner-warning"
          role="status"
          data-testid="same-machine"
        >
          {t('hosts.sameMachine', {
            hosts: list.format(hostNames(hosts, machine.hosts)),
            uuid: machine.hostUuid,
          })}
        </div>
      ))}
    </>
  );
}
