/**
 * Text from a remote peer (a libvirt daemon's error, an SSH server's message, a command's
 * stderr) made safe to put in one line of an error: it ends up in the console's log lines
 * and the admin's terminal, where escape sequences would retitle the window, clear the
 * screen or rewrite what came before, and bidi overrides would show text other than it is.
 */

/**
 * Terminal escape sequences, 7-bit and 8-bit: a control string (OSC, DCS, SOS, PM, APC) up
 * to its BEL or ST terminator, a CSI with its parameters, any other ESC with its
 * intermediates and final byte. Unterminated ones run to the next ESC or the end.
 */
const escapeSequence =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b[ -/]*[0-~]?/g;
/** Line breaks and tabs: the text stays on one line, its words apart. */
const whitespaceControls = /[\t\n\v\f\r]+/g;
/** The other C0 controls, DEL, the C1 controls and the bidi embeddings, overrides, isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const invisibleControls = /[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without escape sequences and control characters, on one line, at most maxChars long. */
export function printableText(text: string, maxChars: number): string {
  const clean = text
    .replace(escapeSequence, '')
    .replace(whitespaceControls, ' ')
    .replace(invisibleControls, '')
    .trim();
  if (clean.length <= maxChars) return clean;
  let end = Math.max(0, maxChars - 1);
  // A cut between the halves of a surrogate pair would leave half a character.
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${clean.slice(0, end)}…`;
}
