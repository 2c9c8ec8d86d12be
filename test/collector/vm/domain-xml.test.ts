import { describe, expect, it } from 'vitest';
import { DomainXmlError, parseDomainXml } from '../../../src/collector/vm/domain-xml';
import { readXml, XmlSyntaxError } from '../../../src/collector/vm/xml-reader';
import { fixtureText } from './bed-fixtures';

function domainXml(devices = '', extra = ''): string {
  return `<domain type='kvm'><name>d</name><uuid>5e7a0b0d-0000-4000-8000-0000000000aa</uuid>
<memory unit='GiB'>4</memory>${extra}<devices>${devices}</devices></domain>`;
}

function xmlError(xml: string): DomainXmlError {
  try {
    parseDomainXml(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainXmlError);
    return error as DomainXmlError;
  }
  throw new Error('parsed without an error');
}

describe('parseDomainXml on the bed’s real domain XML', () => {
  it('reads bed-idle as libvirt described it while running', () => {
    expect(parseDomainXml(fixtureText('bed-idle.xml'))).toEqual({
      name: 'bed-idle',
      uuid: '5e7a0b0d-0000-4000-8000-000000000001',
      vcpus: 1,
      maxVcpus: 1,
      maxMemoryBytes: 128 * 1024 * 1024,
      currentMemoryBytes: 128 * 1024 * 1024,
      domainType: 'qemu',
      id: 2,
      disks: [
        {
          device: 'disk',
          target: 'vda',
          bus: 'virtio',
          source: '/work/main/test/bed/state/bed-idle.qcow2',
          format: 'qcow2',
        },
      ],
      nics: [
        {
          type: 'ethernet',
          mac: '52:54:00:5e:70:01',
          target: 'bedtap-idle',
          model: 'virtio',
          source: null,
        },
      ],
      graphics: [{ type: 'vnc', port: 5900, listen: '127.0.0.1', autoport: true }],
      balloon: { model: 'virtio', statsPeriodSec: 2 },
    });
  });

  it('reads every bed domain with its own name, tap and VNC port', () => {
    const described = ['bed-idle', 'bed-cpu', 'bed-disk', 'bed-net'].map((n) =>
      parseDomainXml(fixtureText(`${n}.xml`)),
    );
    expect(described.map((d) => [d.name, d.nics[0]?.target])).toEqual([
      ['bed-idle', 'bedtap-idle'],
      ['bed-cpu', 'bedtap-cpu'],
      ['bed-disk', 'bedtap-disk'],
      ['bed-net', 'bedtap-net'],
    ]);
    expect(new Set(described.map((d) => d.graphics[0]?.port)).size).toBe(4);
  });

  it('gives no port (libvirt writes -1) and no id for the inactive definition', () => {
    const d = parseDomainXml(fixtureText('bed-idle.inactive.xml'));
    expect(d.graphics).toEqual([{ type: 'vnc', port: null, listen: '127.0.0.1', autoport: true }]);
    expect(d.id).toBeNull();
  });

  it('reads a running guest whose balloon has no stats period', () => {
    const d = parseDomainXml(fixtureText('no-balloon-period.xml'));
    expect(d.balloon).toEqual({ model: 'virtio', statsPeriodSec: null });
    expect(d.graphics).toEqual([]);
    expect(d.disks).toEqual([]);
  });

  it('reads the test driver’s domain: a network NIC, a balloon without stats period', () => {
    const d = parseDomainXml(fixtureText('test-driver.xml'));
    expect(d.vcpus).toBe(2);
    expect(d.maxMemoryBytes).toBe(8 * 1024 ** 3);
    expect(d.currentMemoryBytes).toBe(2 * 1024 ** 3);
    expect(d.disks[0]).toEqual({
      device: 'disk',
      target: 'vda',
      bus: 'virtio',
      source: '/guest/diskimage1',
      format: null,
    });
    expect(d.nics[0]).toEqual({
      type: 'network',
      mac: 'aa:bb:cc:dd:ee:ff',
      target: 'testnet0',
      model: null,
      source: 'default',
    });
    expect(d.balloon).toEqual({ model: 'virtio', statsPeriodSec: null });
    expect(d.graphics).toEqual([]);
  });
});

describe('parseDomainXml on the rest of libvirt’s vocabulary', () => {
  it('takes vcpu current, memory units, a cdrom, spice and a bridge', () => {
    const d = parseDomainXml(
      domainXml(
        `<disk type='file' device='cdrom'><source file='/iso/a.iso'/><target dev='sda' bus='sata'/><driver name='qemu' type='raw'/></disk>
         <disk type='block'><source dev='/dev/vg/x'/><target dev='vdb'/></disk>
         <interface type='bridge'><source bridge='br0'/><model type='e1000'/></interface>
         <graphics type='spice' port='5930' autoport='no'><listen type='address' address='0.0.0.0'/></graphics>
         <memballoon model='none'/>`,
        `<currentMemory unit='MB'>3000</currentMemory><vcpu current='2'>8</vcpu>`,
      ),
    );
    expect(d.maxMemoryBytes).toBe(4 * 1024 ** 3);
    expect(d.currentMemoryBytes).toBe(3e9);
    expect([d.vcpus, d.maxVcpus]).toEqual([2, 8]);
    expect(d.disks).toEqual([
      { device: 'cdrom', target: 'sda', bus: 'sata', source: '/iso/a.iso', format: 'raw' },
      { device: 'disk', target: 'vdb', bus: null, source: '/dev/vg/x', format: null },
    ]);
    expect(d.nics).toEqual([
      { type: 'bridge', mac: null, target: null, model: 'e1000', source: 'br0' },
    ]);
    expect(d.graphics).toEqual([{ type: 'spice', port: 5930, listen: '0.0.0.0', autoport: false }]);
    expect(d.balloon).toBeNull();
  });

  it('decodes entities, numeric references, CDATA; skips comments and the declaration', () => {
    const d = parseDomainXml(`<?xml version="1.0"?>
<!-- made by hand -->
<domain><name>a&amp;b &lt;&#x41;&#66;&gt; &quot;&apos;</name><uuid><![CDATA[5e7a0b0d00004000800000000000000a]]></uuid>
<memory>1024</memory></domain>`);
    expect(d.name).toBe(`a&b <AB> "'`);
    expect(d.uuid).toBe('5e7a0b0d-0000-4000-8000-00000000000a');
    expect(d.maxMemoryBytes).toBe(1024 * 1024);
    expect(d.vcpus).toBe(1);
  });
});

describe('parseDomainXml on malformed and hostile XML', () => {
  it.each([
    ['an unclosed element', '<domain><name>x</name>', 'never closed'],
    ['a mismatched close', '<domain><name>x</nom></domain>', 'does not close'],
    ['an unknown entity', '<domain><name>&foo;</name></domain>', 'unknown entity'],
    ['an unterminated entity', '<domain><name>&amp</name></domain>', 'entity'],
    ['a reference to NUL', '<domain><name>&#0;</name></domain>', 'not an XML character'],
    ['a reference past Unicode', '<domain><name>&#x110000;</name></domain>', 'not an XML'],
    ['a bad hex reference', '<domain><name>&#xZZ;</name></domain>', 'bad character reference'],
    [
      'a DOCTYPE with entity definitions',
      '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><domain><name>&b;</name></domain>',
      'DOCTYPE',
    ],
    ['an unquoted attribute', '<domain type=kvm></domain>', 'not quoted'],
    ['a duplicate attribute', `<domain type='a' type='b'></domain>`, 'given twice'],
    ['< inside an attribute', `<domain type='<'></domain>`, "'<'"],
    ['two roots', '<domain></domain><domain></domain>', 'second root'],
    ['text after the root', '<domain></domain>junk', 'outside the root'],
    ['an unterminated comment', '<domain><!-- </domain>', 'unterminated comment'],
    ['an unterminated CDATA', '<domain><![CDATA[ </domain>', 'unterminated CDATA'],
    ['an empty document', '', 'no root'],
    ['a close with no open', '</domain>', 'closes nothing'],
    ['a control character', '<domain>\u0001</domain>', 'not allowed'],
  ])('%s', (_what, xml, message) => {
    expect(xmlError(xml).message).toContain(message);
  });

  it('refuses nesting past the depth limit without exhausting the stack', () => {
    const deep = '<domain>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</domain>';
    expect(xmlError(deep).message).toContain('nested deeper than 32');
  });

  it('refuses a document over the size limit', () => {
    expect(xmlError(domainXml(`<x>${' '.repeat(5 * 1024 * 1024)}</x>`)).message).toContain(
      'longer than',
    );
  });

  it('keeps the syntax error’s line and column as its cause', () => {
    const error = xmlError('<domain>\n  <name>x</nam>\n</domain>');
    expect(error.message).toContain('line 2, column 10');
    expect(error.cause).toBeInstanceOf(XmlSyntaxError);
  });

  it.each([
    ['no uuid', '<domain><name>x</name><memory>1</memory></domain>', '<uuid>'],
    ['a bad uuid', '<domain><name>x</name><uuid>nope</uuid><memory>1</memory></domain>', 'UUID'],
    ['no memory', domainXml().replace(/<memory[^/]*\/memory>/, ''), '<memory> is missing'],
    ['an unknown unit', domainXml().replace("unit='GiB'", "unit='parsecs'"), 'unknown unit'],
    ['a non-numeric vcpu', domainXml('', '<vcpu>two</vcpu>'), 'not an integer'],
    ['more vCPUs online than slots', domainXml('', "<vcpu current='4'>2</vcpu>"), 'make no sense'],
    ['a port past 65535', domainXml("<graphics type='vnc' port='70000'/>"), 'out of range'],
    ['a disk without target', domainXml("<disk type='file'/>"), 'no <target'],
    ['another root', '<network><name>n</name></network>', 'not <domain>'],
  ])('refuses a domain with %s', (_what, xml, message) => {
    expect(xmlError(xml).message).toContain(message);
  });

  it('does not let attribute names reach the object prototype', () => {
    const root = readXml(`<a __proto__='x' constructor='y'/>`);
    expect(root.attributes.__proto__).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
