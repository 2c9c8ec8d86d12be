import type { ThrowawayDomain } from '../../helpers/throwaway-domain';

/** The engine suites' own small guest; the bed's four domains are measured by others and left alone. */
export const OWN_DOMAIN: ThrowawayDomain = {
  name: 'bed-engine-test',
  uuid: '5e7a0b0d-0000-4000-8000-0000000000e1',
};

/**
 * A paused guest the acceptance suites keep beside the bed's own, as a real admin's host has
 * domains of its own: the suites must measure the bed's four and not be upset by it.
 */
export const PAUSED_STRANGER_LOCAL: ThrowawayDomain = {
  name: 'bed-engine-stranger-local',
  uuid: '5e7a0b0d-0000-4000-8000-0000000000e2',
};
export const PAUSED_STRANGER_SSH: ThrowawayDomain = {
  name: 'bed-engine-stranger-ssh',
  uuid: '5e7a0b0d-0000-4000-8000-0000000000e3',
};
