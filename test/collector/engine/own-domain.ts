import type { ThrowawayDomain } from '../../helpers/throwaway-domain';

/** The engine suites' own small guest; the bed's four domains are measured by others and left alone. */
export const OWN_DOMAIN: ThrowawayDomain = {
  name: 'bed-engine-test',
  uuid: '5e7a0b0d-0000-4000-8000-0000000000e1',
};
