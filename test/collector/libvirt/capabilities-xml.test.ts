import { describe, expect, it } from 'vitest';
import { CapabilitiesXmlError, hostUuidOf } from '../../../src/collector/libvirt/capabilities-xml';

const UUID = 'fa409cf8-65a0-4158-9d59-ac07864d0711';

/** The shape libvirtd answers (trimmed from the bed's `virsh capabilities`). */
function capabilities(host = `<uuid>${UUID}</uuid>`, guests = ''): string {
  return `<capabilities>

  <host>
    ${host}
    <cpu>
      <arch>x86_64</arch>
      <topology sockets='1' dies='1' cores='2' threads='1'/>
      <feature name='vme'/>
    </cpu>
    <secmodel><model>none</model><doi>0</doi></secmodel>
  </host>

  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'><machine maxCpus='255'>pc-i440fx-8.2</machine></arch>
  </guest>
${guests}
</capabilities>
`;
}

function capabilitiesError(xml: string): CapabilitiesXmlError {
  try {
    hostUuidOf(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(CapabilitiesXmlError);
    return error as CapabilitiesXmlError;
  }
  throw new Error('read without an error');
}

describe('hostUuidOf', () => {
  it("reads the host's UUID from the capabilities", () => {
    expect(hostUuidOf(capabilities())).toBe(UUID);
  });

  it('spells the UUID in lower case without the space around it', () => {
    expect(hostUuidOf(capabilities(`<uuid>\n  ${UUID.toUpperCase()}\n</uuid>`))).toBe(UUID);
  });

  it('is null for a daemon whose capabilities name no host UUID', () => {
    expect(hostUuidOf(capabilities(''))).toBeNull();
    expect(hostUuidOf('<capabilities/>')).toBeNull();
  });

  it('takes the host’s UUID, not one elsewhere in the document', () => {
    const guests = `<guest><uuid>00000000-0000-4000-8000-000000000001</uuid></guest>`;
    expect(hostUuidOf(capabilities(`<uuid>${UUID}</uuid>`, guests))).toBe(UUID);
    expect(hostUuidOf(capabilities('', guests))).toBeNull();
  });

  it('refuses a document that is not capabilities', () => {
    expect(capabilitiesError(`<domain><host><uuid>${UUID}</uuid></host></domain>`).message).toBe(
      'capabilities XML: the root is <domain>, not <capabilities>',
    );
  });

  it('refuses malformed XML with the reader’s position', () => {
    const error = capabilitiesError('<capabilities><host><uuid>x</host></capabilities>');
    expect(error.message).toMatch(/^capabilities XML: <\/host> does not close <uuid> \(line 1/);
  });

  it('refuses a UUID that is not one, quoting at most 40 of its characters', () => {
    expect(capabilitiesError(capabilities('<uuid>not-a-uuid</uuid>')).message).toBe(
      "capabilities XML: <uuid> 'not-a-uuid' is not a UUID",
    );
    const long = capabilitiesError(capabilities(`<uuid>${'a'.repeat(100_000)}</uuid>`));
    expect(long.message.length).toBeLessThan(100);
  });

  it('refuses hostile documents with a typed error, not a crash', () => {
    // Entities defined in a DOCTYPE could expand without bound (a billion laughs).
    const laughs = `<!DOCTYPE capabilities [<!ENTITY a "aaaaaaaaaa">]><capabilities><host><uuid>&a;</uuid></host></capabilities>`;
    expect(capabilitiesError(laughs)).toBeInstanceOf(CapabilitiesXmlError);
    // Nesting deep enough to exhaust a recursive parser's stack.
    const deep = `<capabilities>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</capabilities>`;
    expect(capabilitiesError(deep).message).toMatch(/nested deeper than 32/);
    // More elements than a host has, in a document under the length bound.
    const many = capabilities(undefined, '<guest/>'.repeat(100_001));
    expect(capabilitiesError(many).message).toMatch(/more than 100000 elements/);
    // Longer than any daemon sends (the wire stops a string at 4 MiB too).
    const huge = capabilities(undefined, `<!--${'x'.repeat(4 * 1024 * 1024)}-->`);
    expect(capabilitiesError(huge).message).toMatch(/longer than 4194304 characters/);
    expect(capabilitiesError('')).toBeInstanceOf(CapabilitiesXmlError);
    expect(capabilitiesError('\u0000')).toBeInstanceOf(CapabilitiesXmlError);
  });
});
