import { mayRead, type ReadDecision } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { PARTNER_AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { findingResource } from '@samverkan/domain/safety-walks/finding.decider';
import type { SqlParams } from './keyset';

/** A row of the partnership-work read model's `findings`, as the lists select it. */
export interface FindingRow {
  stream_id: string;
  finding_id: string;
  walk_id: string | null;
  place_ids: string[];
  unresolved_place: string | null;
  kind: string;
  description: string;
  responsible_party: AgencyCode;
  responsible_parties: AgencyCode[];
  reporting_agency: AgencyCode | null;
  invited_parties: AgencyCode[];
  found_on: string;
  addressed_on: string | null;
  action: string | null;
}

export const FINDING_COLUMNS = `f.stream_id, f.finding_id, f.walk_id, f.place_ids, f.unresolved_place,
  f.kind, f.description, f.responsible_party, f.responsible_parties, f.reporting_agency,
  f.invited_parties, f.found_on::text, f.addressed_on::text, f.action`;

export interface FindingListItem {
  readonly findingId: string;
  /** Null for a finding reported outside a walk (GET /findings/:findingId has it). */
  readonly walkId: string | null;
  readonly placeIds: readonly string[];
  readonly unresolvedPlace?: string;
  readonly kind: string;
  readonly description: string;
  readonly responsibleParty: AgencyCode;
  readonly reportingAgency: AgencyCode | null;
  readonly foundOn: string;
  readonly status: 'open' | 'addressed';
  readonly addressedOn: string | null;
  readonly action: string | null;
}

/**
 * The access policy on a finding: one found on a walk is the walk's (shared with the
 * partnership and the walk's invited parties); one reported outside a walk is shared with the
 * partnership, its reporter and every party it was given to.
 */
export function findingDecision(reader: Actor, row: FindingRow): ReadDecision {
  if (row.walk_id !== null) {
    return mayRead(reader, { kind: 'safety-walk', invitedParties: row.invited_parties });
  }
  return mayRead(
    reader,
    findingResource({
      // Always set outside walks; the fallback (a party already among the responsible)
      // widens nothing.
      reportingAgency: row.reporting_agency ?? row.responsible_party,
      responsibleParties: row.responsible_parties,
    }),
  );
}

/**
 * The same rule in SQL, so that pages fill and counts span all pages; every row is still
 * asked with `findingDecision` before it is shown.
 */
export function findingVisibleSql(reader: Actor, params: SqlParams): string {
  if (PARTNER_AGENCIES.includes(reader.agency)) return 'true';
  const me = params.p(reader.agency);
  return `(case when f.walk_id is null
             then f.reporting_agency = ${me} or ${me}::text = any(f.responsible_parties)
             else ${me}::text = any(f.invited_parties) end)`;
}

export function presentFinding(r: FindingRow): FindingListItem {
  return {
    findingId: r.finding_id,
    walkId: r.walk_id,
    placeIds: r.place_ids,
    ...(r.unresolved_place === null ? {} : { unresolvedPlace: r.unresolved_place }),
    kind: r.kind,
    description: r.description,
    responsibleParty: r.responsible_party,
    reportingAgency: r.reporting_agency,
    foundOn: r.found_on,
    status: r.addressed_on === null ? 'open' : 'addressed',
    addressedOn: r.addressed_on,
    action: r.action,
  };
}
