import { ContractError } from './reply';
import type { RequestName, RequestParams } from './requests';

/** Checks untrusted params and returns them typed, or throws a bad-request ContractError. */
export type Validator<T> = (params: unknown) => T;

/** For requests without params: absent, null or {} pass, anything else is refused. */
function noParams(name: RequestName): Validator<undefined> {
  return (params) => {
    const empty =
      params === undefined ||
      params === null ||
      (typeof params === 'object' && !Array.isArray(params) && Object.keys(params).length === 0);
    if (!empty) throw new ContractError('bad-request', `${name} takes no params`);
    return undefined;
  };
}

/**
 * One validator per request. The mapped type makes a missing validator a compile
 * error, so no request can reach a handler unchecked.
 */
export const requestValidators: { [N in RequestName]: Validator<RequestParams<N>> } = {
  'app.getVersion': noParams('app.getVersion'),
};

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestValidators, name);
}
