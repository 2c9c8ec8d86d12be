import { ContractError } from './reply';
import type { RequestName, RequestParams } from './requests';
import { noParams, requestSchemas } from './schemas';

/** Checks untrusted params and returns them typed, or throws a bad-request ContractError. */
export type Validator<T> = (params: unknown) => T;

/** The first few of zod's complaints, each with the path of the field it is about. */
function describeIssues(name: string, issues: readonly { path: PropertyKey[]; message: string }[]) {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return `${name}: ${shown.join('; ')}`;
}

function validatorOf<N extends RequestName>(name: N): Validator<RequestParams<N>> {
  const schema = requestSchemas[name];
  return (params) => {
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      throw new ContractError(
        'bad-request',
        schema === noParams ? `${name} takes no params` : describeIssues(name, parsed.error.issues),
      );
    }
    return parsed.data as RequestParams<N>;
  };
}

/**
 * One validator per request, from its schema. The mapped type makes a missing schema a
 * compile error, so no request can reach a handler unchecked.
 */
export const requestValidators: { [N in RequestName]: Validator<RequestParams<N>> } =
  Object.fromEntries(
    Object.keys(requestSchemas).map((name) => [name, validatorOf(name as RequestName)]),
  ) as { [N in RequestName]: Validator<RequestParams<N>> };

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name);
}
