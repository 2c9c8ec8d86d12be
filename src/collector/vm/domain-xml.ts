import type { VmBalloon, VmDisk, VmGraphics, VmNic } from '../../shared/model/vm-devices';
import { child, childrenNamed, readXml, XmlSyntaxError, type XmlElement } from './xml-reader';

/** The inventory's view of a domain's XML description (virDomainGetXMLDesc). */
export interface DomainDescription {
  name: string;
  uuid: string;
  /** vCPUs online: <vcpu current=..>, else the <vcpu> count. */
  vcpus: number;
  /** The <vcpu> count: the most vCPUs the domain may bring online. */
  maxVcpus: number;
  /** <memory>: the most the balloon may give the guest. */
  maxMemoryBytes: number;
  /** <currentMemory>: the balloon's target; null when the XML has none. */
  currentMemoryBytes: number | null;
  /** <domain type=..>: kvm, qemu, test, ... */
  domainType: string | null;
  /** <domain id=..>: set while running, null otherwise. */
  id: number | null;
  disks: VmDisk[];
  nics: VmNic[];
  graphics: VmGraphics[];
  /** null when there is no balloon device (none in the XML, or model='none'). */
  balloon: VmBalloon | null;
}

/** The domain XML could not be read: malformed, hostile, or missing what every domain has. */
export class DomainXmlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`domain XML: ${message}`, options);
    this.name = 'DomainXmlError';
  }
}

/** libvirt's memory units (docs: formatdomain "Memory Allocation"); KiB when none is given. */
const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  KB: 1e3,
  k: 1024,
  KiB: 1024,
  MB: 1e6,
  M: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1e9,
  G: 1024 ** 3,
  GiB: 1024 ** 3,
  TB: 1e12,
  T: 1024 ** 4,
  TiB: 1024 ** 4,
};

function integer(text: string, what: string): number {
  const trimmed = text.trim();
  if (!/^-?\d{1,16}$/.test(trimmed))
    throw new DomainXmlError(`${what} is not an integer: '${text}'`);
  return Number(trimmed);
}

function memoryBytes(element: XmlElement | undefined, what: string): number | null {
  if (!element) return null;
  const unit = element.attributes.unit ?? 'KiB';
  const scale = UNIT_BYTES[unit];
  if (scale === undefined) throw new DomainXmlError(`${what} has an unknown unit '${unit}'`);
  const value = integer(element.text, what);
  if (value < 0) throw new DomainXmlError(`${what} is negative`);
  return value * scale;
}

function attr(element: XmlElement | undefined, name: string): string | null {
  return element?.attributes[name] ?? null;
}

function firstAttr(element: XmlElement | undefined, names: readonly string[]): string | null {
  for (const name of names) {
    const value = attr(element, name);
    if (value !== null) return value;
  }
  return null;
}

function requiredText(domain: XmlElement, name: string): string {
  const text = child(domain, name)?.text.trim();
  if (!text) throw new DomainXmlError(`<${name}> is missing or empty`);
  return text;
}

function readDisks(devices: XmlElement | undefined): DomainDescription['disks'] {
  return childrenNamed(devices, 'disk').map((disk) => {
    const target = attr(child(disk, 'target'), 'dev');
    if (!target) throw new DomainXmlError('a <disk> has no <target dev=..>');
    return {
      device: attr(disk, 'device') ?? 'disk',
      target,
      bus: attr(child(disk, 'target'), 'bus'),
      source: firstAttr(child(disk, 'source'), ['file', 'dev', 'name', 'dir', 'volume']),
      format: attr(child(disk, 'driver'), 'type'),
    };
  });
}

function readNics(devices: XmlElement | undefined): DomainDescription['nics'] {
  return childrenNamed(devices, 'interface').map((nic) => ({
    type: attr(nic, 'type') ?? 'unknown',
    mac: attr(child(nic, 'mac'), 'address'),
    target: attr(child(nic, 'target'), 'dev'),
    model: attr(child(nic, 'model'), 'type'),
    source: firstAttr(child(nic, 'source'), ['bridge', 'network', 'dev', 'name', 'path']),
  }));
}

function readGraphics(devices: XmlElement | undefined): DomainDescription['graphics'] {
  return childrenNamed(devices, 'graphics').map((g) => {
    const portText = attr(g, 'port');
    const port = portText === null ? null : integer(portText, '<graphics port>');
    if (port !== null && port > 65535)
      throw new DomainXmlError(`graphics port ${port} is out of range`);
    return {
      type: attr(g, 'type') ?? 'unknown',
      port: port === null || port < 0 ? null : port,
      listen: attr(g, 'listen') ?? attr(child(g, 'listen'), 'address'),
      autoport: attr(g, 'autoport') === 'yes',
    };
  });
}

function readBalloon(devices: XmlElement | undefined): DomainDescription['balloon'] {
  const balloon = child(devices, 'memballoon');
  const model = attr(balloon, 'model');
  if (!balloon || model === null || model === 'none') return null;
  const period = attr(child(balloon, 'stats'), 'period');
  return { model, statsPeriodSec: period === null ? null : integer(period, '<stats period>') };
}

/** Reads a domain's XML description; DomainXmlError on malformed or hostile input. */
export function parseDomainXml(xml: string): DomainDescription {
  let root: XmlElement;
  try {
    root = readXml(xml, { maxDepth: 32, maxLength: 4 * 1024 * 1024, maxElements: 20_000 });
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new DomainXmlError(error.message, { cause: error });
    throw error;
  }
  if (root.name !== 'domain') throw new DomainXmlError(`the root is <${root.name}>, not <domain>`);
  const uuidText = requiredText(root, 'uuid');
  const hex = uuidText.toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new DomainXmlError(`<uuid> '${uuidText}' is not a UUID`);
  // The protocol's DomainRef spells UUIDs this way; libvirt also accepts them without dashes.
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const maxMemoryBytes = memoryBytes(child(root, 'memory'), '<memory>');
  if (maxMemoryBytes === null) throw new DomainXmlError('<memory> is missing');
  const vcpu = child(root, 'vcpu');
  // libvirt always writes <vcpu>; a domain defined without one gets 1.
  const maxVcpus = vcpu ? integer(vcpu.text, '<vcpu>') : 1;
  const current = attr(vcpu, 'current');
  const vcpus = current === null ? maxVcpus : integer(current, '<vcpu current>');
  if (maxVcpus < 1 || vcpus < 1 || vcpus > maxVcpus) {
    throw new DomainXmlError(`vCPU counts ${vcpus} of ${maxVcpus} make no sense`);
  }
  const idText = attr(root, 'id');
  const id = idText === null ? null : integer(idText, '<domain id>');
  const devices = child(root, 'devices');
  return {
    name: requiredText(root, 'name'),
    uuid,
    vcpus,
    maxVcpus,
    maxMemoryBytes,
    currentMemoryBytes: memoryBytes(child(root, 'currentMemory'), '<currentMemory>'),
    domainType: attr(root, 'type'),
    id: id === null || id < 0 ? null : id,
    disks: readDisks(devices),
    nics: readNics(devices),
    graphics: readGraphics(devices),
    balloon: readBalloon(devices),
  };
}
