import type { Actor } from '@samverkan/domain/actor';
import { AGENCIES, AGENCY_NAMES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { seedActors } from './seed-step';

/**
 * The demo users of the development sign-in: the seed's actors and one user administrator per
 * agency. Their ids are pseudonymous; the signatories' names appear only as display names,
 * kept in the sign-in table (erasable), never in the log.
 */
export interface DemoUser {
  readonly actor: Actor;
  readonly displayName: string;
  /** What the sign-in page says about them, in Swedish. */
  readonly description: string;
}

export const demoAdministrator = (agency: AgencyCode): Actor => ({
  userId: `demo-admin-${agency}`,
  agency,
  role: 'user-administrator',
});

/** Whoever runs `npm run bootstrap`: the envelope of the first coordinator's grant. */
export const BOOTSTRAP_ACTOR: Actor = {
  userId: 'bootstrap',
  agency: 'municipality',
  role: 'operator',
};

const described: Record<keyof typeof seedActors, [string, string]> = {
  policeChief: ['Ulrika Sundström', 'Chef, lokalpolisområde Karlstad'],
  policeOfficer: ['Demo Polis', 'Polis, lokalpolisområde Karlstad'],
  municipalPoliceOfficer: ['Demo Kommunpolis', 'Kommunpolis, Hammarö'],
  boardChair: ['Solweig Gard', 'Kommunstyrelsens ordförande'],
  chiefExecutive: ['Caroline Depui', 'Kommundirektör'],
  safetyCoordinator: ['Demo Trygghetssamordnare', 'Trygghetssamordnare, Hammarö kommun'],
  securityGuard: ['Demo Väktare', 'Väktare, Hammarö kommun'],
  socialWorker: ['Demo Socialsekreterare', 'Socialsekreterare, ungdomsgruppen'],
  fieldWorker: ['Demo Fältare', 'Fältassistent, socialtjänsten'],
  principal: ['Demo Rektor', 'Rektor, Hammarlundens skola'],
  studentHealth: ['Demo Elevhälsa', 'Elevhälsan, grundskolan'],
  youthWorker: ['Demo Fritidsledare', 'Fritidsledare, fritidsgården'],
  housing: ['Demo Fastighetsförvaltare', 'Fastighetsförvaltare, Hammaröbostäder'],
};

export const DEMO_USERS: readonly DemoUser[] = [
  ...(Object.keys(described) as (keyof typeof seedActors)[]).map((key) => ({
    actor: seedActors[key],
    displayName: described[key][0],
    description: described[key][1],
  })),
  {
    actor: {
      userId: 'demo-partnerskapsrevisor',
      agency: 'municipality',
      role: 'partnership-auditor',
    },
    displayName: 'Demo Partnerskapsrevisor',
    description: 'Granskar hela samverkans granskningslogg',
  },
  ...AGENCIES.map((agency) => ({
    actor: demoAdministrator(agency),
    displayName: `Demo Användaradministratör (${agency})`,
    description: `Användaradministratör, ${AGENCY_NAMES[agency]}`,
  })),
];
