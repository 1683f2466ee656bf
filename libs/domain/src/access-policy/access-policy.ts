import type { Actor } from '../actor';
import { isTalkRole, PARTNER_AGENCIES, type AgencyCode, type Role } from '../agencies/agencies';
import { unreachable } from '../decider';
import { forbidden } from '../domain-error';

/**
 * Need to know, decided in one place: the API, the projections, the exports and the Kafka
 * relay all ask this policy, so a rule is the same on every read path and tied to its ground
 * (see the default access policy in the domain description). The deciders hold the rules that
 * depend on a stream's state (who owns a commitment); this holds who may read and which roles
 * may write at all.
 */

export type Context =
  | 'citizen-promise'
  | 'situation-picture'
  | 'prevention-talks'
  | 'safety-walks'
  | 'agencies'
  | 'places';

/** What is being read, with what the rule needs to know about it. */
export type Resource =
  | { readonly kind: 'citizen-promise' }
  | {
      readonly kind: 'situation-report';
      readonly reportingAgency: AgencyCode;
      readonly sensitivity: 'open' | 'restricted';
      readonly sharedWith: readonly AgencyCode[];
    }
  | { readonly kind: 'situation-picture' }
  | {
      readonly kind: 'prevention-talk';
      readonly participants: readonly { readonly agency: AgencyCode; readonly role: Role }[];
    }
  | { readonly kind: 'safety-walk'; readonly invitedParties: readonly AgencyCode[] }
  /** A finding reported outside a walk: the reporter and whoever is to put it right know it. */
  | {
      readonly kind: 'finding';
      readonly reportingAgency: AgencyCode;
      /** Every party it was assigned to: one that handed it on keeps hearing of it. */
      readonly responsibleParties: readonly AgencyCode[];
    }
  /** The places register: public places with approximate positions, for every view. */
  | { readonly kind: 'places' }
  /** EST counts per place and week, and who reports them. */
  | { readonly kind: 'est-counts' }
  | { readonly kind: 'partnership' }
  | { readonly kind: 'audit-trail'; readonly actorAgency: AgencyCode }
  /** Failed sign-ins and refused requests: the operator's, who runs the service. */
  | { readonly kind: 'security-log' }
  /** The service's metrics (rates, lag, routes): the operator's, who runs the service. */
  | { readonly kind: 'service-metrics' }
  /**
   * Whether the log is intact (its chains and sealed blocks): the operator's, who runs the
   * service, and the partnership auditor's, who answers for the log across the agencies.
   */
  | { readonly kind: 'log-verification' }
  /** Reads of restricted data by the users of one agency. */
  | { readonly kind: 'read-access-log'; readonly readerAgency: AgencyCode }
  /**
   * An erasure of personal data: which events were erased, never whom. Every agency's system is
   * told, so that it erases its own copies of them.
   */
  | { readonly kind: 'personal-data-erasure' };

export type ReadDecision =
  | {
      readonly allowed: true;
      /** Personal or restricted data: the read goes into the read-access log. */
      readonly logged: boolean;
      readonly ground: string;
    }
  | { readonly allowed: false; readonly reason: string };

const READ_ONLY_ROLES: readonly Role[] = [
  'auditor',
  'data-protection-officer',
  'partnership-auditor',
  'operator',
];

const allow = (ground: string, logged = false): ReadDecision => ({
  allowed: true,
  logged,
  ground,
});
const deny = (reason: string): ReadDecision => ({ allowed: false, reason });

const isPartner = (agency: AgencyCode): boolean => PARTNER_AGENCIES.includes(agency);

export function mayRead(reader: Actor, resource: Resource): ReadDecision {
  switch (resource.kind) {
    case 'citizen-promise':
      // A promise is a public document; its commitments and activities are shared with all.
      return allow('the promise is public');
    case 'situation-picture':
    case 'partnership':
      return isPartner(reader.agency)
        ? allow('shared situation picture of the partnership')
        : deny(`${reader.agency} is not a partner of the situation picture`);
    case 'situation-report':
      if (resource.sensitivity === 'open') {
        return isPartner(reader.agency)
          ? allow('open report, shared with the partnership')
          : deny(`${reader.agency} is not a partner of the situation picture`);
      }
      if (reader.agency === resource.reportingAgency) {
        return allow("restricted report, the reading agency's own", true);
      }
      return resource.sharedWith.includes(reader.agency)
        ? allow('restricted report, shared by the reporting agency with this agency', true)
        : deny('a restricted report is shared only with the agencies its reporter named');
    case 'prevention-talk':
      // Only the agencies that take part, in the roles that take part (OSL secrecy; consent).
      return resource.participants.some((p) => p.agency === reader.agency && p.role === reader.role)
        ? allow('takes part in the talk in this role', true)
        : deny('a prevention talk is read only by the agencies and roles that take part in it');
    case 'safety-walk':
      return isPartner(reader.agency) || resource.invitedParties.includes(reader.agency)
        ? allow('safety walks are shared with the partnership and the invited parties')
        : deny(`${reader.agency} was not invited to this safety walk`);
    case 'finding':
      return isPartner(reader.agency) ||
        reader.agency === resource.reportingAgency ||
        resource.responsibleParties.includes(reader.agency)
        ? allow('findings are shared with the partnership, the reporter and the responsible party')
        : deny('a finding is shared with the partnership, its reporter and its responsible party');
    case 'places':
      return allow('the places register is public');
    case 'est-counts':
      // Non-partners who report EST (housing companies) read the picture with small counts
      // blurred (see estPrecision); the weekly reports place by place stay with the partners.
      return isPartner(reader.agency)
        ? allow('EST counts are shared with the partnership')
        : deny(`${reader.agency} is not a partner of the situation picture`);
    case 'audit-trail':
      // Each agency is controller of what it appends: its auditor and data protection officer
      // read its own actions, not another agency's. Only the partnership's auditor, granted by
      // the safety coordinator, reads the whole trail.
      if (readsWholeAuditTrail(reader)) return allow("the partnership's auditor");
      return reader.agency === resource.actorAgency
        ? allow("the agency's own actions")
        : deny('an agency sees only its own actions in the audit trail');
    case 'security-log':
      return reader.role === 'operator'
        ? allow('the operator of the service')
        : deny('only the operator reads the security log');
    case 'service-metrics':
      return reader.role === 'operator'
        ? allow('the operator of the service')
        : deny("only the operator reads the service's metrics");
    case 'log-verification':
      return reader.role === 'operator' || reader.role === 'partnership-auditor'
        ? allow(
            reader.role === 'operator'
              ? 'the operator of the service'
              : 'the partnership auditor, who answers for the log',
          )
        : deny('only the operator and the partnership auditor verify the log');
    case 'read-access-log':
      return reader.role === 'data-protection-officer' && reader.agency === resource.readerAgency
        ? allow("the data protection officer of the reading users' agency")
        : deny("only an agency's data protection officer reads its users' reads");
    case 'personal-data-erasure':
      return reader.role === 'data-protection-officer'
        ? allow('a data protection officer, who acts on erasures')
        : deny('erasures are read by data protection officers');
    default:
      return unreachable(resource);
  }
}

/** The partnership's auditor (a municipal role the safety coordinator grants) reads every agency. */
export function readsWholeAuditTrail(reader: Actor): boolean {
  return reader.role === 'partnership-auditor' && reader.agency === 'municipality';
}

/**
 * Public by its kind, for every agency now and any that joins later: the citizen promise is a
 * public document. (Whatever else every agency may receive today, such as a safety walk that
 * invites everyone, is not: an agency that joins later was not invited.)
 */
/**
 * A retracted report stays in the log (and in counts of what was reported), but what it said is
 * served only to the agency that reported it, which answers for it, and to the auditors: a
 * report taken back is often one that should not have been written.
 */
export function mayReadRetractedContent(
  reader: Actor,
  report: { readonly reportingAgency: AgencyCode },
): boolean {
  return (
    reader.agency === report.reportingAgency ||
    reader.role === 'auditor' ||
    reader.role === 'data-protection-officer' ||
    reader.role === 'partnership-auditor'
  );
}

export function isPublic(resource: Resource): boolean {
  return resource.kind === 'citizen-promise' || resource.kind === 'places';
}

/**
 * How exactly a reader sees EST counts summed per area and week: partners exactly; every other
 * agency (housing companies that report, the rescue service) with 1–4 shown as "fewer than 5",
 * as the board report and public views show them.
 */
export function estPrecision(reader: Actor): 'exact' | 'blurred' {
  return isPartner(reader.agency) ? 'exact' : 'blurred';
}

/**
 * What an agency's *system* may receive on the event feed (Kafka): the need to know of the
 * agency as a whole, since its system (a police case system, social services' records system)
 * serves the agency's users. Open data of the partnership goes to every partner; a restricted
 * report to the reporting agency and the agencies it named; a prevention talk to the agencies
 * taking part, whose records hold the case; a safety walk also to the invited parties; an
 * erasure to every agency, since it names events, never a person, and any of them may hold
 * copies. The audit trail and the read-access log are not part of the feed. Unknown resources:
 * nothing.
 */
export function mayReceiveFeed(agency: AgencyCode, resource: Resource): boolean {
  switch (resource.kind) {
    case 'citizen-promise':
      return true;
    case 'situation-picture':
    case 'partnership':
      return isPartner(agency);
    case 'situation-report':
      return resource.sensitivity === 'open'
        ? isPartner(agency)
        : agency === resource.reportingAgency || resource.sharedWith.includes(agency);
    case 'prevention-talk':
      return resource.participants.some((p) => p.agency === agency);
    case 'safety-walk':
      return isPartner(agency) || resource.invitedParties.includes(agency);
    case 'finding':
      return (
        isPartner(agency) ||
        agency === resource.reportingAgency ||
        resource.responsibleParties.includes(agency)
      );
    case 'places':
      return true;
    case 'est-counts':
      return isPartner(agency);
    case 'personal-data-erasure':
      return true;
    case 'audit-trail':
    case 'read-access-log':
    case 'security-log':
    case 'service-metrics':
    case 'log-verification':
      return false;
    default:
      return unreachable(resource);
  }
}

/** Restricted data travels apart from the rest (own topics, own retention). */
export function isRestricted(resource: Resource): boolean {
  return (
    resource.kind === 'prevention-talk' ||
    (resource.kind === 'situation-report' && resource.sensitivity === 'restricted')
  );
}

/** Throws a forbidden refusal when the reader may not read it; returns the grant otherwise. */
export function assertMayRead(
  reader: Actor,
  resource: Resource,
): Extract<ReadDecision, { allowed: true }> {
  const decision = mayRead(reader, resource);
  if (!decision.allowed) throw forbidden('ACCESS.NEED_TO_KNOW', decision.reason);
  return decision;
}

/**
 * Whether this role may issue commands in this context at all. Auditors and the data
 * protection officer read; only the roles that hold SSPF talks write them.
 */
export function assertMayIssue(actor: Actor, context: Context): void {
  // Administration is its own work: a user administrator grants roles and records nothing
  // else; the operator's one command is the bootstrap of the partnership's administration.
  if (
    context === 'agencies' &&
    (actor.role === 'user-administrator' || actor.role === 'operator')
  ) {
    return;
  }
  if (READ_ONLY_ROLES.includes(actor.role) || actor.role === 'user-administrator') {
    throw forbidden('ACCESS.READ_ONLY_ROLE', `The ${actor.role} role reads; it does not record`);
  }
  if (context === 'prevention-talks' && !isTalkRole(actor.agency, actor.role)) {
    throw forbidden(
      'ACCESS.ROLE_MAY_NOT',
      `A ${actor.role} of ${actor.agency} does not take part in prevention talks`,
    );
  }
}
