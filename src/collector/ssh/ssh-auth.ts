import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType } from 'ssh2';
import { BoundedFileError, readBoundedFile } from '../files/read-bounded-file';
import { SshError, SshKeyError } from './ssh-errors';
import type { SshAuth } from './ssh-target';

/** The ssh2 auth methods to offer, in order, and the names they are reported under. */
export interface AuthPlan {
  methods: { label: string; method: AnyAuthMethod }[];
}

/** Far more than any private key (an RSA-16384 one is ~12 KiB): a larger file is not one. */
const MAX_KEY_BYTES = 64 * 1024;

/** Reads and decrypts the key up front, so a bad key file or passphrase gets its own error. */
async function loadPrivateKey(file: string, passphrase: string | undefined): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readBoundedFile(file, MAX_KEY_BYTES);
  } catch (error) {
    const reason =
      error instanceof BoundedFileError
        ? error.reason
        : ((error as NodeJS.ErrnoException).code ?? 'read error');
    throw new SshKeyError('key-unreadable', file, `cannot read the private key (${reason})`);
  }
  const parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const reason = parsed.message;
    if (/passphrase|decrypt|integrity/i.test(reason)) {
      if (passphrase === undefined) {
        throw new SshKeyError(
          'key-passphrase-needed',
          file,
          'the private key is encrypted and no passphrase was given',
        );
      }
      throw new SshKeyError('key-passphrase-wrong', file, 'wrong passphrase for the private key');
    }
    throw new SshKeyError('key-invalid', file, `not a usable private key (${reason})`);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) {
    throw new SshKeyError('key-invalid', file, 'not a private key (a .pub file?)');
  }
  return data;
}

export async function buildAuthPlan(username: string, auth: SshAuth): Promise<AuthPlan> {
  switch (auth.method) {
    case 'agent': {
      const socket = auth.socket ?? process.env.SSH_AUTH_SOCK;
      if (!socket) {
        throw new SshError(
          'agent-unavailable',
          'no SSH agent: SSH_AUTH_SOCK is not set and no agent socket was given',
        );
      }
      return { methods: [{ label: 'agent', method: { type: 'agent', username, agent: socket } }] };
    }
    case 'key': {
      const key = await loadPrivateKey(auth.privateKeyFile, auth.passphrase);
      const method: AnyAuthMethod = { type: 'publickey', username, key };
      if (auth.passphrase !== undefined) method.passphrase = auth.passphrase;
      return { methods: [{ label: 'publickey', method }] };
    }
    case 'password': {
      const password = auth.password;
      return {
        methods: [
          { label: 'password', method: { type: 'password', username, password } },
          // PAM-only servers take the password through keyboard-interactive; answer only a
          // single hidden prompt, never echo the password into an unexpected question.
          {
            label: 'keyboard-interactive',
            method: {
              type: 'keyboard-interactive',
              username,
              prompt: (_name, _instructions, _lang, prompts, finish) => {
                const [only] = prompts;
                if (prompts.length === 1 && only && !only.echo) finish([password]);
                else finish([]);
              },
            },
          },
        ],
      };
    }
  }
}

/** Progress of authentication, for the SshAuthError that lists what was tried. */
export interface AuthProgress {
  tried: string[];
  offered: string[];
}

/** An ssh2 authHandler that walks the plan, skipping methods the server does not accept. */
export function authHandlerFor(plan: AuthPlan, progress: AuthProgress): AuthHandlerMiddleware {
  const queue = [...plan.methods];
  return (authsLeft: AuthenticationType[] | null, _partial, next) => {
    if (authsLeft) progress.offered = [...authsLeft];
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const wire = entry.method.type === 'agent' ? 'publickey' : entry.method.type;
      if (authsLeft && !authsLeft.includes(wire)) continue;
      progress.tried.push(entry.label);
      next(entry.method);
      return;
    }
    next(false as unknown as AuthenticationType);
  };
}
