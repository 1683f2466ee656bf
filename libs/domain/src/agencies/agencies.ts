/**
 * The organisations that take part in a local partnership and the roles their users hold.
 * Code lists are data of the domain, the same in every context, the API and the tokens.
 */
export const AGENCIES = [
  'police',
  'municipality',
  'social-services',
  'school',
  'leisure',
  'municipal-security',
  'rescue-service',
  'housing-company',
] as const;
export type AgencyCode = (typeof AGENCIES)[number];

export const AGENCY_NAMES: Readonly<Record<AgencyCode, string>> = {
  police: 'Police (local police area)',
  municipality: 'Municipality (management and safety coordination)',
  'social-services': 'Social services',
  school: 'School',
  leisure: 'Leisure services',
  'municipal-security': "Municipality's security guards",
  'rescue-service': 'Rescue service',
  'housing-company': 'Housing company',
};

/** The partnership proper: the agencies that share the situation picture. */
export const PARTNER_AGENCIES: readonly AgencyCode[] = [
  'police',
  'municipality',
  'social-services',
  'school',
  'leisure',
  'municipal-security',
];

/**
 * The municipal side of a promise: social services, schools, leisure and the security guards
 * are the municipality's own administrations, so a municipal commitment is theirs too.
 */
export const MUNICIPAL_AGENCIES: readonly AgencyCode[] = [
  'municipality',
  'social-services',
  'school',
  'leisure',
  'municipal-security',
];

/**
 * Roles every agency has: reading the audit trail and the access log, system access, and the
 * user administrator who grants the agency's roles and issues its API keys.
 */
export const COMMON_ROLES = [
  'auditor',
  'data-protection-officer',
  'agency-system',
  'user-administrator',
] as const;

export const ROLES_BY_AGENCY = {
  police: ['officer', 'municipal-police-officer', 'area-chief', 'analyst'],
  /**
   * The partnership auditor reads the whole partnership's audit trail (granted by the safety
   * coordinator); the operator reads the service's health details and metrics.
   */
  municipality: [
    'board-chair',
    'chief-executive',
    'safety-coordinator',
    'partnership-auditor',
    'operator',
  ],
  'social-services': ['social-worker', 'field-worker', 'unit-manager'],
  school: ['principal', 'student-health', 'teacher'],
  leisure: ['youth-worker', 'leisure-manager'],
  'municipal-security': ['security-guard'],
  'rescue-service': ['rescue-officer'],
  'housing-company': ['property-manager'],
} as const satisfies Record<AgencyCode, readonly string[]>;

/**
 * A user's role: one of its agency's own or a common one. (Spelled as a mapped type per agency
 * so that JSON Schema generators resolve it: the feed's AsyncAPI document is generated.)
 */
export type Role =
  | { [A in AgencyCode]: (typeof ROLES_BY_AGENCY)[A][number] }[AgencyCode]
  | (typeof COMMON_ROLES)[number];

export function isAgencyCode(value: unknown): value is AgencyCode {
  return typeof value === 'string' && (AGENCIES as readonly string[]).includes(value);
}

/** Whether a user of this agency can hold this role (a social worker is not police). */
export function isRoleOf(agency: AgencyCode, role: unknown): role is Role {
  return (
    typeof role === 'string' &&
    ((ROLES_BY_AGENCY[agency] as readonly string[]).includes(role) ||
      (COMMON_ROLES as readonly string[]).includes(role))
  );
}

export function allRoles(): readonly Role[] {
  return [...new Set<Role>([...Object.values(ROLES_BY_AGENCY).flat(), ...COMMON_ROLES])];
}

/**
 * The roles in which each agency takes part in SSPF talks about one young person: the one list
 * the talk decider (who may be a participant) and the access policy (who may record and read)
 * share. SSPF is school, social services, police and leisure: the youth centre staff often know
 * the young person best, and an agreed plan regularly puts them to work. Which agencies may sit
 * in a given talk also depends on its legal ground (the talk decider: 18 a § allows only social
 * services and the police).
 */
export const TALK_ROLES: Readonly<Partial<Record<AgencyCode, readonly Role[]>>> = {
  police: ['officer', 'municipal-police-officer'],
  'social-services': ['social-worker', 'field-worker', 'unit-manager'],
  school: ['principal', 'student-health'],
  leisure: ['youth-worker', 'leisure-manager'],
};

export function isTalkRole(agency: AgencyCode, role: string): boolean {
  return (TALK_ROLES[agency] as readonly unknown[] | undefined)?.includes(role) ?? false;
}
