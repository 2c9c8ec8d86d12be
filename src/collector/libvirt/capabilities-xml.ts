import { child, readXml, XmlSyntaxError, type XmlElement } from '../vm/xml-reader';

/**
 * The reader's bounds for a capabilities document. A large host's (hundreds of CPUs and NUMA
 * cells, every guest architecture with its machine types) stays well under a megabyte; the
 * wire already stops a string at 4 MiB (STRING_MAX), and so does the reader.
 */
const CAPABILITIES_LIMITS = { maxDepth: 32, maxLength: 4 * 1024 * 1024, maxElements: 100_000 };

/** libvirt formats the host UUID this way (virUUIDFormat). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The capabilities XML could not be read: malformed, hostile, too large, or a bad UUID. */
export class CapabilitiesXmlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`capabilities XML: ${message}`, options);
    this.name = 'CapabilitiesXmlError';
  }
}

/**
 * The host's UUID from the daemon's capabilities (`<capabilities><host><uuid>`), lower case:
 * one machine reached under two saved hosts answers the same one. Null when the document
 * names none (a driver without a host); a CapabilitiesXmlError when it cannot be read.
 */
export function hostUuidOf(xml: string): string | null {
  let root: XmlElement;
  try {
    root = readXml(xml, CAPABILITIES_LIMITS);
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw new CapabilitiesXmlError(error.message, { cause: error });
    }
    throw error;
  }
  if (root.name !== 'capabilities') {
    throw new CapabilitiesXmlError(`the root is <${root.name}>, not <capabilities>`);
  }
  const uuid = child(child(root, 'host'), 'uuid');
  if (!uuid) return null;
  const text = uuid.text.trim().toLowerCase();
  // Cut before quoting it: the text is the daemon's and may be anything, of any length.
  if (!UUID.test(text))
    throw new CapabilitiesXmlError(`<uuid> '${text.slice(0, 40)}' is not a UUID`);
  return text;
}
