import { COORDINATOR_GRANTED } from '@samverkan/domain/agencies/partnership.decider';
import { AGENCY_NAMES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { HandlePartnershipCommand } from '../agencies/partnership.command-handler';
import { HandlePreventionTalkCommand } from '../prevention-talks/prevention-talks.command-handler';
import { HandleSafetyWalkCommand } from '../safety-walks/safety-walks.command-handler';
import {
  ConfirmSituationPictureMessage,
  HandleSituationReportCommand,
} from '../situation-picture/situation-picture.command-handler';
import { HAMMARO_PARTNERSHIP_ID } from './hammaro-promise';
import { BOOTSTRAP_ACTOR, DEMO_USERS, demoAdministrator } from './demo-users';
import { seedActors, type SeedStep } from './seed-step';

const NAMES: Partial<Record<AgencyCode, string>> = {
  police: 'Lokalpolisområde Karlstad',
  municipality: 'Hammarö kommun',
  'social-services': 'Hammarö kommun, socialtjänsten',
  school: 'Hammarö kommun, grundskolan',
  leisure: 'Hammarö kommun, fritidsverksamheten',
  'municipal-security': 'Hammarö kommuns väktare',
  'rescue-service': 'Räddningstjänsten',
  'housing-company': 'Hammaröbostäder',
};

/** The partnership and its agencies, formed before the promise was drafted. */
export function hammaroPartnershipSteps(): SeedStep[] {
  const agencies = Object.keys(NAMES) as AgencyCode[];
  return [
    {
      key: 'partnership-formed',
      by: seedActors.safetyCoordinator,
      on: '2022-11-01',
      message: (m) =>
        new HandlePartnershipCommand(
          HAMMARO_PARTNERSHIP_ID,
          {
            type: 'FormPartnership',
            by: m.actor,
            at: m.at,
            partnershipId: HAMMARO_PARTNERSHIP_ID,
            name: 'Trygghetssamverkan Hammarö',
            municipality: 'Hammarö kommun',
            policeArea: 'Lokalpolisområde Karlstad',
          },
          m,
        ),
    },
    ...agencies.map((agency): SeedStep => ({
      key: `agency-joined-${agency}`,
      by: seedActors.safetyCoordinator,
      on: '2022-11-01',
      message: (m) =>
        new HandlePartnershipCommand(
          HAMMARO_PARTNERSHIP_ID,
          {
            type: 'JoinAgency',
            by: m.actor,
            at: m.at,
            agency,
            name: NAMES[agency] ?? AGENCY_NAMES[agency],
          },
          m,
        ),
    })),
  ];
}

/**
 * The demo users' roles, granted as the rules say: the bootstrap appoints the first safety
 * coordinator, who appoints each agency's first user administrator, who grants the rest.
 */
export function hammaroUserSteps(): SeedStep[] {
  const grant = (key: string, by: SeedStep['by'], user: SeedStep['by']): SeedStep => ({
    key,
    by,
    on: '2022-11-02',
    message: (m) =>
      new HandlePartnershipCommand(
        HAMMARO_PARTNERSHIP_ID,
        { type: 'GrantUserRole', by: m.actor, at: m.at, ...user },
        m,
      ),
  });
  const agencies = Object.keys(NAMES) as AgencyCode[];
  return [
    {
      key: 'first-coordinator-appointed',
      by: BOOTSTRAP_ACTOR,
      on: '2022-11-02',
      message: (m) =>
        new HandlePartnershipCommand(
          HAMMARO_PARTNERSHIP_ID,
          {
            type: 'AppointFirstCoordinator',
            by: m.actor,
            at: m.at,
            userId: seedActors.safetyCoordinator.userId,
          },
          m,
        ),
    },
    ...agencies.map((agency) =>
      grant(
        `user-administrator-${agency}`,
        seedActors.safetyCoordinator,
        demoAdministrator(agency),
      ),
    ),
    ...DEMO_USERS.filter(
      (u) =>
        u.actor.role !== 'user-administrator' &&
        u.actor.userId !== seedActors.safetyCoordinator.userId,
    ).map((u) =>
      grant(
        `user-role-${u.actor.userId}`,
        // Roles that reach across the partnership: the coordinator grants them.
        COORDINATOR_GRANTED.includes(u.actor.role)
          ? seedActors.safetyCoordinator
          : demoAdministrator(u.actor.agency),
        u.actor,
      ),
    ),
  ];
}

const report = (
  key: string,
  by: SeedStep['by'],
  on: string,
  details: Omit<
    Extract<HandleSituationReportCommand['command'], { type: 'ReportSituation' }>,
    'type' | 'by' | 'at' | 'reportId'
  >,
): SeedStep => ({
  key: `situation-${key}`,
  by,
  on,
  message: (m) =>
    new HandleSituationReportCommand(
      key,
      { type: 'ReportSituation', by: m.actor, at: m.at, reportId: key, ...details },
      m,
    ),
});

/**
 * Observations for the shared situation picture in autumn 2024, one per reporting agency, and
 * the picture the partnership meeting confirmed for September.
 */
export function hammaroSituationSteps(): SeedStep[] {
  const september = { from: '2024-09-01', to: '2024-09-30' };
  return [
    report('2024-09-school-hammarlunden', seedActors.principal, '2024-10-01', {
      placeIds: ['hammarlundens-skola'],
      problemArea: 'vandalism-burglary',
      period: september,
      trend: 'rising',
      severity: 'medium',
      description: 'Klotter och krossade fönster på skolgården, främst fredag- och lördagskvällar.',
      source: 'own-observation',
      sensitivity: 'restricted',
      sharedWith: ['police', 'social-services', 'municipal-security'],
    }),
    report('2024-09-guards-harbours', seedActors.securityGuard, '2024-10-02', {
      placeIds: ['lillangshamnen'],
      problemArea: 'vandalism-burglary',
      period: september,
      trend: 'stable',
      severity: 'low',
      description:
        'Inga inbrott i båtar under månaden; samlingar av ungdomar vid gästhamnen sena kvällar.',
      source: 'own-observation',
      sensitivity: 'open',
      sharedWith: [],
    }),
    report('2024-09-police-centre', seedActors.municipalPoliceOfficer, '2024-10-03', {
      placeIds: ['skoghall-centrum'],
      problemArea: 'alcohol-drug-crime',
      period: september,
      trend: 'rising',
      severity: 'high',
      description:
        'Fler iakttagelser av ungdomar påverkade av narkotika kring centrum helgkvällar.',
      source: 'incident-reports',
      sensitivity: 'open',
      sharedWith: [],
    }),
    report('2024-09-leisure-youth', seedActors.youthWorker, '2024-10-03', {
      placeIds: ['skoghall'],
      problemArea: 'alcohol-drug-crime',
      period: september,
      trend: 'stable',
      severity: 'medium',
      description:
        'Ungdomar berättar om lättillgänglig cannabis; oro hos föräldrar i föreningslivet.',
      source: 'citizen-dialogue',
      sensitivity: 'open',
      sharedWith: [],
    }),
    {
      key: 'situation-picture-2024-09',
      by: seedActors.safetyCoordinator,
      on: '2024-10-15',
      message: (m) =>
        new ConfirmSituationPictureMessage(
          {
            type: 'ConfirmSituationPicture',
            by: m.actor,
            at: m.at,
            confirmationId: 'meeting-2024-10-15',
            meetingOn: '2024-10-15',
            period: september,
            reportIds: [
              '2024-09-school-hammarlunden',
              '2024-09-guards-harbours',
              '2024-09-police-centre',
              '2024-09-leisure-youth',
            ],
            summary:
              'Narkotika bland unga kring Skoghall centrum ökar; skadegörelse vid Hammarlundens skola ökar. Fler fotpatruller helgkvällar och väktarronder vid skolan.',
          },
          m,
        ),
    },
  ];
}

/** One SSPF talk, planned by social services with the police and student health. */
export function hammaroPreventionTalkSteps(): SeedStep[] {
  const talkId = 'sspf-2024-001';
  const participants = [
    { agency: 'social-services', role: 'social-worker' },
    { agency: 'police', role: 'municipal-police-officer' },
    { agency: 'school', role: 'student-health' },
  ] as const;
  const talk = (
    key: string,
    by: SeedStep['by'],
    on: string,
    command: (m: Parameters<SeedStep['message']>[0]) => HandlePreventionTalkCommand['command'],
  ): SeedStep => ({
    key: `talk-${key}`,
    by,
    on,
    message: (m) => new HandlePreventionTalkCommand(talkId, command(m), m),
  });
  return [
    talk('planned', seedActors.socialWorker, '2024-09-20', (m) => ({
      type: 'PlanPreventionTalk',
      by: m.actor,
      at: m.at,
      talkId,
      subjectRef: 'SOC-7F3K9Q',
      plannedFor: '2024-10-03',
      participants: [...participants],
      purpose: 'Förebyggande samtal efter oro för narkotika (SSPF).',
      // With the school at the table the talk rests on consent (recorded next).
      legalGround: { basis: 'consent' },
    })),
    talk('consent', seedActors.socialWorker, '2024-09-27', (m) => ({
      type: 'RecordConsent',
      by: m.actor,
      at: m.at,
      consentId: 'consent-2024-09-27',
      recordedOn: '2024-09-27',
      givenBy: ['guardian', 'young-person'],
      subjectAged15OrOver: true,
      scope: 'Socialtjänst, polis och elevhälsa får utbyta uppgifter inom SSPF.',
    })),
    talk('held', seedActors.municipalPoliceOfficer, '2024-10-03', (m) => ({
      type: 'RecordTalkHeld',
      by: m.actor,
      at: m.at,
      heldOn: '2024-10-03',
      participants: [...participants],
      guardiansPresent: true,
      outcome: 'Överens om kontakt med fritidsverksamheten och uppföljning med elevhälsan.',
      agreedFollowUp: [
        {
          action: 'Introduktion till kvällsverksamhet',
          responsibleAgency: 'social-services',
          dueOn: '2024-10-31',
        },
        {
          action: 'Uppföljande samtal med elevhälsan',
          responsibleAgency: 'school',
          dueOn: '2024-11-15',
        },
      ],
    })),
    talk('followed-up', seedActors.socialWorker, '2024-11-14', (m) => ({
      type: 'FollowUpTalk',
      by: m.actor,
      at: m.at,
      followedUpOn: '2024-11-14',
      notes: 'Deltar i kvällsverksamhet; kontakt med elevhälsan etablerad.',
      closed: false,
    })),
  ];
}

/** The yearly safety walk from Skoghall centrum to Lillängshamnen (the 2021 route), in 2024. */
export function hammaroSafetyWalkSteps(): SeedStep[] {
  const walkId = 'trygghetsvandring-2024';
  const walk = (
    key: string,
    by: SeedStep['by'],
    on: string,
    command: (m: Parameters<SeedStep['message']>[0]) => HandleSafetyWalkCommand['command'],
  ): SeedStep => ({
    key: `walk-${key}`,
    by,
    on,
    message: (m) => new HandleSafetyWalkCommand(walkId, command(m), m),
  });
  return [
    walk('planned', seedActors.safetyCoordinator, '2024-08-20', (m) => ({
      type: 'PlanSafetyWalk',
      by: m.actor,
      at: m.at,
      walkId,
      areaId: 'skoghall-centrum',
      route: ['skoghall-centrum', 'gc-vagen-lillangshamnen', 'lillangshamnen'],
      plannedOn: '2024-09-24',
      invitedParties: ['police', 'rescue-service', 'housing-company'],
    })),
    walk('conducted', seedActors.safetyCoordinator, '2024-09-24', (m) => ({
      type: 'ConductSafetyWalk',
      by: m.actor,
      at: m.at,
      conductedOn: '2024-09-24',
      participants: ['municipality', 'police', 'rescue-service', 'housing-company'],
      residentsTakingPart: 17,
      findings: [
        {
          findingId: 'lighting-path',
          placeIds: ['gc-vagen-lillangshamnen'],
          kind: 'poor-lighting',
          description: 'Två belysningsstolpar ur funktion; mörk passage.',
          responsibleParty: 'municipality',
        },
        {
          findingId: 'vegetation-courtyard',
          placeIds: ['innergard-skoghall-centrum'],
          kind: 'overgrown-vegetation',
          description: 'Buskage skymmer sikten vid entréer.',
          responsibleParty: 'housing-company',
        },
        {
          findingId: 'vandalism-harbour',
          placeIds: ['lillangshamnen'],
          kind: 'vandalism',
          description: 'Klotter på servicebyggnaden.',
          responsibleParty: 'municipality',
        },
      ],
    })),
    walk('vegetation-addressed', seedActors.housing, '2024-10-18', (m) => ({
      type: 'AddressFinding',
      by: m.actor,
      at: m.at,
      findingId: 'vegetation-courtyard',
      addressedOn: '2024-10-18',
      action: 'Buskaget nedklippt och belysning vid entréerna kontrollerad.',
    })),
    walk('lighting-addressed', seedActors.safetyCoordinator, '2024-11-06', (m) => ({
      type: 'AddressFinding',
      by: m.actor,
      at: m.at,
      findingId: 'lighting-path',
      addressedOn: '2024-11-06',
      action: 'Armaturer bytta av gatuenheten.',
    })),
  ];
}
