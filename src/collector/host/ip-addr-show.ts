import type { InterfaceAddress } from './primary-ip';

const addressLine =
  /^\d+:\s+(\S+?)(?:@\S+)?\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\b.*?\bscope\s+(\S+)/;

/**
 * The IPv4 addresses in the output of `ip -o -4 addr show`, one line each:
 * `2: eth0    inet 192.0.2.10/24 brd ... scope global eth0\ ...`. Lines of another
 * shape are skipped: the text is a tool's, not the kernel's, and only feeds getmyip().
 */
export function parseIpAddrShow(text: string): InterfaceAddress[] {
  const addresses: InterfaceAddress[] = [];
  for (const line of text.split('\n')) {
    const match = addressLine.exec(line);
    if (!match) continue;
    addresses.push({
      iface: match[1] ?? '',
      address: match[2] ?? '',
      prefixLength: Number(match[3]),
      scope: match[4] ?? '',
    });
  }
  return addresses;
}
