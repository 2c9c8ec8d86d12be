import { isLoopbackAddress, isWildcardAddress } from './request-guard';

export type ExposureVerdict =
  { ok: true } | { ok: false; code: 'wildcard-address' | 'needs-tls'; message: string };

/**
 * Whether the server may stay on the address it bound. Judged by the bound address, not
 * the name given: '0', '' and '0:0::0' are wildcards too, and a name may resolve anywhere.
 * A wildcard answers under any name, which the Host check cannot pin; an address other
 * machines reach would carry the token and the cookie in clear without TLS.
 */
export function checkExposure(
  givenHost: string,
  boundAddress: string,
  tls: boolean,
): ExposureVerdict {
  if (isWildcardAddress(boundAddress)) {
    return {
      ok: false,
      code: 'wildcard-address',
      message: `'${givenHost}' listens on every address (${boundAddress}); give one address, e.g. 127.0.0.1`,
    };
  }
  if (!tls && !isLoopbackAddress(boundAddress)) {
    return {
      ok: false,
      code: 'needs-tls',
      message:
        `'${givenHost}' (${boundAddress}) is reachable from other machines; ` +
        'serving there needs --tls-cert and --tls-key (or listen on 127.0.0.1)',
    };
  }
  return { ok: true };
}
