import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_NAMES } from '../../../src/collector/libvirt/errors';
import {
  AuthType,
  HEADER_BYTES,
  KEEPALIVE_PROGRAM,
  Keepalive,
  LENGTH_BYTES,
  MessageStatus,
  MessageType,
  PROTOCOL_VERSION,
  QEMU_PROGRAM,
  Qemu,
  REMOTE_PROGRAM,
  Remote,
} from '../../../src/collector/libvirt/protocol';

interface Source {
  file: string;
  libvirt: string;
  /** libvirt's name → its value; program numbers as written there, in hex. */
  numbers: Record<string, number | string>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/libvirt/protocol-numbers.json', import.meta.url), 'utf8'),
) as { sources: Source[] };

/** Every number the fixture holds, by libvirt's name, with the file it came from. */
const libvirt = new Map<string, { value: number; file: string }>();
for (const source of fixture.sources) {
  for (const [name, value] of Object.entries(source.numbers)) {
    libvirt.set(name, { value: Number(value), file: source.file });
  }
}

/** CallWithFds → CALL_WITH_FDS */
const upperSnake = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

const prefixed = (prefix: string, table: Record<string, number>, name = (key: string) => key) =>
  Object.entries(table).map(([key, value]) => ({ ours: key, name: prefix + name(key), value }));

/** Each constant the project copied by hand, under the name libvirt gives it. */
const ours: { ours: string; name: string; value: number }[] = [
  { ours: 'REMOTE_PROGRAM', name: 'REMOTE_PROGRAM', value: REMOTE_PROGRAM },
  { ours: 'QEMU_PROGRAM', name: 'QEMU_PROGRAM', value: QEMU_PROGRAM },
  { ours: 'KEEPALIVE_PROGRAM', name: 'KEEPALIVE_PROGRAM', value: KEEPALIVE_PROGRAM },
  // One version is sent and expected for every program.
  { ours: 'PROTOCOL_VERSION', name: 'REMOTE_PROTOCOL_VERSION', value: PROTOCOL_VERSION },
  { ours: 'PROTOCOL_VERSION', name: 'QEMU_PROTOCOL_VERSION', value: PROTOCOL_VERSION },
  { ours: 'PROTOCOL_VERSION', name: 'KEEPALIVE_PROTOCOL_VERSION', value: PROTOCOL_VERSION },
  { ours: 'LENGTH_BYTES', name: 'VIR_NET_MESSAGE_LEN_MAX', value: LENGTH_BYTES },
  { ours: 'HEADER_BYTES', name: 'VIR_NET_MESSAGE_HEADER_MAX', value: HEADER_BYTES },
  ...prefixed('REMOTE_PROC_', Remote),
  ...prefixed('QEMU_PROC_', Qemu),
  ...prefixed('KEEPALIVE_PROC_', Keepalive),
  ...prefixed('REMOTE_AUTH_', AuthType, upperSnake),
  ...prefixed('VIR_NET_', MessageType, upperSnake),
  ...prefixed('VIR_NET_', MessageStatus, upperSnake),
  ...Object.entries(ERROR_NAMES).map(([code, name]) => ({
    ours: `ERROR_NAMES[${code}]`,
    name,
    value: Number(code),
  })),
];

describe("libvirt's protocol numbers, as copied into src/collector/libvirt", () => {
  it('says where each fact came from', () => {
    for (const source of fixture.sources) {
      expect(source.file).toMatch(/^(src|include)\//);
      expect(source.libvirt).toMatch(/commit [0-9a-f]{40}/);
    }
  });

  it.each(ours)('$ours is libvirt $name', ({ name, value }) => {
    const fact = libvirt.get(name);
    // A constant with no fact (a new procedure, a new error code) fails here:
    // add libvirt's own number for it to the fixture.
    expect(fact, `${name} is not in test/fixtures/libvirt/protocol-numbers.json`).toBeDefined();
    expect(value, `${name} in ${fact?.file}`).toBe(fact?.value);
  });

  it('keeps no fact that no constant uses', () => {
    const used = new Set(ours.map((c) => c.name));
    expect([...libvirt.keys()].filter((name) => !used.has(name))).toEqual([]);
  });
});
