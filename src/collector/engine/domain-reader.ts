import { LibvirtError } from '../libvirt/errors';
import { LIST_DOMAINS_AUTOSTART, LIST_DOMAINS_PERSISTENT } from '../libvirt/list-flags';
import type { LibvirtConnection } from '../libvirt/libvirt-connection';
import type { DomainRef } from '../libvirt/remote-types';
import { parseDomainXml, type DomainDescription } from '../vm/domain-xml';
import type { VmInventoryEntry } from '../../shared/model/engine-events';
import { vmStateName } from './vm-state';

/** VIR_ERR_NO_DOMAIN: the domain does not exist (any more). */
const NO_DOMAIN = 42;

/** UUIDs of the persistent and the autostart domains: two list calls cover every domain. */
export interface DomainFlags {
  persistent: ReadonlySet<string>;
  autostart: ReadonlySet<string>;
}

export function isNoDomain(error: unknown): boolean {
  return error instanceof LibvirtError && error.code === NO_DOMAIN;
}

/** Which domains are persistent and autostart; null when the daemon will not say. */
export async function readDomainFlags(lv: LibvirtConnection): Promise<DomainFlags | null> {
  try {
    const [persistent, autostart] = await Promise.all([
      lv.listAllDomains(LIST_DOMAINS_PERSISTENT),
      lv.listAllDomains(LIST_DOMAINS_AUTOSTART),
    ]);
    return {
      persistent: new Set(persistent.map((d) => d.uuid)),
      autostart: new Set(autostart.map((d) => d.uuid)),
    };
  } catch (error) {
    if (error instanceof LibvirtError) return null;
    throw error;
  }
}

export interface DomainReading {
  entry: VmInventoryEntry;
  description: DomainDescription | null;
}

/**
 * Reads one domain's state and XML description into an inventory entry (display fields
 * empty: the caller owns them). Null when the domain no longer exists. A description that
 * cannot be parsed leaves the shape fields null and says why; it does not lose the VM.
 */
export async function readDomain(
  lv: LibvirtConnection,
  domain: DomainRef,
  flags: DomainFlags | null,
): Promise<DomainReading | null> {
  let state: { state: number; reason: number };
  let xml: string;
  try {
    [state, xml] = await Promise.all([lv.domainGetState(domain), lv.domainGetXmlDesc(domain)]);
  } catch (error) {
    if (isNoDomain(error)) return null;
    throw error;
  }
  let description: DomainDescription | null = null;
  let descriptionError: string | null = null;
  try {
    description = parseDomainXml(xml);
  } catch (error) {
    descriptionError = (error as Error).message;
  }
  const running = state.state !== 5 && domain.id >= 0;
  return {
    description,
    entry: {
      uuid: domain.uuid,
      name: domain.name,
      id: running ? domain.id : null,
      state: vmStateName(state.state),
      stateCode: state.state,
      stateReason: state.reason,
      vcpus: description?.vcpus ?? null,
      maxMemoryBytes: description?.maxMemoryBytes ?? null,
      currentMemoryBytes: description?.currentMemoryBytes ?? null,
      disks: description?.disks ?? [],
      nics: description?.nics ?? [],
      graphics: (description?.graphics ?? []).map((g) => ({ type: g.type, port: g.port })),
      balloon: description?.balloon ?? null,
      autostart: flags ? flags.autostart.has(domain.uuid) : null,
      persistent: flags ? flags.persistent.has(domain.uuid) : null,
      gone: false,
      lastSeen: null,
      lct: null,
      connectedNow: false,
      descriptionError,
    },
  };
}
