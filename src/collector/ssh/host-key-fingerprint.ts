import { createHash } from 'node:crypto';

/** `SHA256:<base64 without padding>` of an SSH public key blob, as `ssh-keygen -lf` prints it. */
export function sha256Fingerprint(keyBlob: Uint8Array): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (its first string), or null. */
export function keyTypeOfBlob(keyBlob: Uint8Array): string | null {
  if (keyBlob.length < 4) return null;
  const view = new DataView(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  const length = view.getUint32(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return null;
  const type = Buffer.from(keyBlob.subarray(4, 4 + length)).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : null;
}
