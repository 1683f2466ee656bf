import type { Actor } from '@samverkan/domain/actor';
import type { LocalDate } from '@samverkan/domain/calendar';
import type { CommandMeta } from '../commands/command-meta';

/**
 * One command of the demo data, sent on the command bus like any request. Its key fixes the
 * ids of the events it appends, so seeding again finds them in the stream and writes nothing.
 */
export interface SeedStep {
  readonly key: string;
  readonly by: Actor;
  /** The day it happened; the command is issued that day at noon, Swedish time. */
  readonly on: LocalDate;
  readonly message: (meta: CommandMeta) => object;
}

/**
 * The demo users, by pseudonymous ids: the log's envelopes name no one (the signatories' names
 * are in the promise document, where they signed as office holders).
 */
export const seedActors = {
  policeChief: { userId: 'demo-lpo-chef', agency: 'police', role: 'area-chief' },
  policeOfficer: { userId: 'lpo.karlstad.officer', agency: 'police', role: 'officer' },
  municipalPoliceOfficer: {
    userId: 'kommunpolis.hammaro',
    agency: 'police',
    role: 'municipal-police-officer',
  },
  boardChair: { userId: 'demo-ks-ordforande', agency: 'municipality', role: 'board-chair' },
  chiefExecutive: {
    userId: 'demo-kommundirektor',
    agency: 'municipality',
    role: 'chief-executive',
  },
  safetyCoordinator: {
    userId: 'trygghetssamordnare',
    agency: 'municipality',
    role: 'safety-coordinator',
  },
  securityGuard: {
    userId: 'vaktare.hammaro',
    agency: 'municipal-security',
    role: 'security-guard',
  },
  socialWorker: {
    userId: 'socialsekreterare.ungdom',
    agency: 'social-services',
    role: 'social-worker',
  },
  fieldWorker: { userId: 'faltare.hammaro', agency: 'social-services', role: 'field-worker' },
  principal: { userId: 'rektor.hammarlunden', agency: 'school', role: 'principal' },
  studentHealth: { userId: 'elevhalsa.mormo', agency: 'school', role: 'student-health' },
  youthWorker: { userId: 'fritidsledare', agency: 'leisure', role: 'youth-worker' },
  housing: { userId: 'hammarobostader', agency: 'housing-company', role: 'property-manager' },
} as const satisfies Record<string, Actor>;
