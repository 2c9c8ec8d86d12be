import { z } from 'zod';
import { LibvirtUriError, parseLibvirtUri } from '../libvirt-uri';

/**
 * The fields of a saved host, checked the same way wherever a host comes in: a contract
 * request, the CLI, and hosts.json when it is read back. One rule for each, so a host the
 * console accepts is one the loader loads again.
 */

/**
 * A saved host's name: for people, so any printable text in any script, spaces inside
 * included (`가상 서버 1`). It is no key: the host's id is (hostId).
 */
export const hostName = z
  .string()
  .trim()
  .min(1, 'a host name is needed')
  .max(64, 'a host name is at most 64 characters')
  .regex(
    /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u,
    'a host name is printable text: letters, digits, spaces and punctuation',
  );

/**
 * A saved host's identity: made once when the host is saved (a UUID), kept across
 * renames and restarts; the engine, the contract, the topics and the history key by it.
 */
export const hostId = z
  .string()
  .trim()
  .min(1, 'a host id is needed')
  .max(64)
  .regex(/^[\w.-]+$/, 'a host id is letters, digits, . _ and - only');

/** A host name or address for SSH, as known_hosts and the connection take it. */
export const sshHost = z
  .string()
  .trim()
  .min(1, 'an SSH host is needed')
  .max(253)
  // What known_hosts can name: no pattern characters, brackets (an IPv6 address is
  // written bare), spaces or separators.
  .regex(/^[^\s,*?![\]|#@/\\]+$/, 'an SSH host is a name or an address');

export const sshUser = z
  .string()
  .trim()
  .min(1, 'a user name is needed')
  .max(64)
  .regex(/^[^\s@:/\\]+$/, 'a user name has no spaces, @, : or slashes');

export const sshPort = z.number().int().min(1).max(65535);

/**
 * A path on the console's machine: absolute, or under the home folder (`~/…`, expanded
 * where it is used). Never blank, never a line break or a NUL.
 */
export const localPath = z
  .string()
  .trim()
  .min(1, 'a path is needed')
  .max(4096)
  .regex(/^(\/|~\/|[A-Za-z]:[\\/])/, 'an absolute path, or one starting with ~/')
  .regex(/^[^\0\r\n]*$/, 'a path has no line breaks');

export const pollIntervalSec = z.number().int().min(1).max(60);

/** A libvirt URI the console may be given (no ?parameters: see parseLibvirtUri). */
export const libvirtUri = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .superRefine((text, context) => {
    try {
      parseLibvirtUri(text);
    } catch (error) {
      if (!(error instanceof LibvirtUriError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });
