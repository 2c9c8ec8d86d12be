/**
 * A small, strict XML reader for the documents libvirt writes (domain descriptions). No npm XML
 * package is available, and a general one is more than this needs: elements, attributes, text,
 * the five named entities and numeric references, comments, CDATA, processing instructions.
 * DOCTYPE is refused outright, so no entity can be defined and none can expand. The reader is
 * iterative with a depth limit, so hostile nesting cannot exhaust the stack.
 */

export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** The element's own character data (CDATA included), children's text excluded. */
  text: string;
}

export interface XmlReaderLimits {
  /** Deepest nesting of elements accepted (default 64; libvirt's documents stay under 10). */
  maxDepth?: number;
  /** Longest document accepted, characters (default 16 MiB). */
  maxLength?: number;
  /** Most elements accepted (default 100 000). */
  maxElements?: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line of the offending character. */
    readonly line: number,
    /** 1-based column of the offending character. */
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'XmlSyntaxError';
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const NAME = /[A-Za-z_:][\w.:-]*/y;
const SPACE = /[ \t\r\n]*/y;
/** '&', '<', and the UTF-16 units XML 1.0 forbids (surrogates pass: they pair into valid ones). */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[&<\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const DEFAULTS = { maxDepth: 64, maxLength: 16 * 1024 * 1024, maxElements: 100_000 };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new XmlSyntaxError(message, line, at - lineStart + 1);
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.text);
    this.pos = SPACE.lastIndex;
  }

  name(what: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) this.fail(`expected ${what}`);
    this.pos = NAME.lastIndex;
    return match[0];
  }

  /** Position of `terminator` at or after pos, or a failure naming what is unterminated. */
  find(terminator: string, what: string): number {
    const at = this.text.indexOf(terminator, this.pos);
    if (at < 0) this.fail(`unterminated ${what}`);
    return at;
  }

  /** Character data from pos up to `end` with references replaced; '<' is not allowed in it. */
  decode(end: number, what: string): string {
    let out = '';
    let from = this.pos;
    while (this.pos < end) {
      // Jump to the next character that needs a look: a reference, '<' or one XML forbids.
      SPECIAL.lastIndex = this.pos;
      const found = SPECIAL.exec(this.text);
      if (!found || found.index >= end) break;
      this.pos = found.index;
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x26 /* & */) {
        out += this.text.slice(from, this.pos);
        out += this.reference(end);
        from = this.pos;
        continue;
      }
      if (code === 0x3c /* < */) this.fail(`'<' in ${what}`);
      this.fail(`character U+${code.toString(16).padStart(4, '0')} is not allowed in XML`);
    }
    this.pos = end;
    out += this.text.slice(from, end);
    return out;
  }

  private reference(end: number): string {
    const start = this.pos;
    const semi = this.text.indexOf(';', start);
    if (semi < 0 || semi >= end || semi - start > 12) this.fail('unterminated entity reference');
    const body = this.text.slice(start + 1, semi);
    this.pos = semi + 1;
    if (body.startsWith('#')) {
      const hex = body.startsWith('#x');
      const digits = body.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) {
        this.fail(`bad character reference &${body};`, start);
      }
      const code = parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(code))
        this.fail(`character reference &${body}; is not an XML character`, start);
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body];
    if (named === undefined) this.fail(`unknown entity &${body};`, start);
    return named;
  }
}

interface Open {
  element: XmlElement;
  start: number;
}

/** Parses a whole document into its root element; XmlSyntaxError on anything malformed. */
export function readXml(text: string, limits: XmlReaderLimits = {}): XmlElement {
  const maxDepth = limits.maxDepth ?? DEFAULTS.maxDepth;
  const maxLength = limits.maxLength ?? DEFAULTS.maxLength;
  const maxElements = limits.maxElements ?? DEFAULTS.maxElements;
  if (typeof text !== 'string') throw new XmlSyntaxError('the document is not text', 1, 1);
  if (text.length > maxLength) {
    throw new XmlSyntaxError(`the document is longer than ${maxLength} characters`, 1, 1);
  }
  const c: Cursor = new Cursor(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const stack: Open[] = [];
  let root: XmlElement | null = null;
  let elements = 0;

  while (c.pos < c.text.length) {
    const lt = c.text.indexOf('<', c.pos);
    const textEnd = lt < 0 ? c.text.length : lt;
    if (textEnd > c.pos) {
      const top = stack[stack.length - 1];
      const data = c.decode(textEnd, 'text');
      if (top) top.element.text += data;
      else if (data.trim() !== '') c.fail('text outside the root element', textEnd - data.length);
    }
    if (lt < 0) break;

    if (c.startsWith('<!--')) {
      const end = c.find('-->', 'comment');
      if (c.text.slice(c.pos + 4, end).includes('--')) c.fail("'--' inside a comment");
      c.pos = end + 3;
    } else if (c.startsWith('<![CDATA[')) {
      const top = stack[stack.length - 1];
      if (!top) c.fail('CDATA outside the root element');
      const end = c.find(']]>', 'CDATA section');
      top.element.text += c.text.slice(c.pos + 9, end);
      c.pos = end + 3;
    } else if (c.startsWith('<!')) {
      c.fail('DOCTYPE and other declarations are not accepted');
    } else if (c.startsWith('<?')) {
      c.pos = c.find('?>', 'processing instruction') + 2;
    } else if (c.startsWith('</')) {
      const start = c.pos;
      c.pos += 2;
      const name = c.name('an element name after </');
      c.skipSpace();
      if (!c.startsWith('>')) c.fail(`expected '>' closing </${name}`);
      c.pos++;
      const open = stack.pop();
      if (!open) c.fail(`</${name}> closes nothing`, start);
      if (open.element.name !== name) {
        c.fail(`</${name}> does not close <${open.element.name}>`, start);
      }
    } else {
      const start = c.pos;
      c.pos++;
      const name = c.name('an element name after <');
      if (root && stack.length === 0) c.fail('a second root element', start);
      if (stack.length >= maxDepth) c.fail(`elements nested deeper than ${maxDepth}`, start);
      if (++elements > maxElements) c.fail(`more than ${maxElements} elements`, start);
      const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
      for (;;) {
        const before = c.pos;
        c.skipSpace();
        if (c.startsWith('/>') || c.startsWith('>')) break;
        if (c.pos === before) c.fail(`expected whitespace, '>' or '/>' in <${name}>`);
        const attr = c.name(`an attribute name or '>' in <${name}>`);
        c.skipSpace();
        if (!c.startsWith('=')) c.fail(`expected '=' after attribute ${attr}`);
        c.pos++;
        c.skipSpace();
        const quote = c.text[c.pos];
        if (quote !== '"' && quote !== "'") c.fail(`attribute ${attr}'s value is not quoted`);
        c.pos++;
        const end = c.find(quote, `value of attribute ${attr}`);
        if (Object.prototype.hasOwnProperty.call(attributes, attr)) {
          c.fail(`attribute ${attr} given twice`);
        }
        attributes[attr] = c.decode(end, `the value of attribute ${attr}`);
        c.pos = end + 1;
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.element.children.push(element);
      else root = element;
      if (c.startsWith('/>')) {
        c.pos += 2;
      } else {
        c.pos++;
        stack.push({ element, start });
      }
    }
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) c.fail(`<${unclosed.element.name}> is never closed`, unclosed.start);
  if (!root) c.fail('no root element');
  return root;
}

/** The first child element named `name`, if any. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((e) => e.name === name);
}

/** Every child element named `name`. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((e) => e.name === name) : [];
}
