import { MUNICIPAL_AGENCIES, type AgencyCode } from '../agencies/agencies';
import { unreachable } from '../decider';
import type { CommitmentOwner } from './citizen-promise.events';

/** Which agencies act for an owner: the municipality acts through its administrations. */
export function actsFor(owner: CommitmentOwner, agency: AgencyCode): boolean {
  switch (owner) {
    case 'police':
      return agency === 'police';
    case 'municipality':
      return MUNICIPAL_AGENCIES.includes(agency);
    case 'joint':
      return agency === 'police' || MUNICIPAL_AGENCIES.includes(agency);
    default:
      return unreachable(owner);
  }
}
