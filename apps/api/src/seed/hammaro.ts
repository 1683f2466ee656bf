import {
  hammaroPartnershipSteps,
  hammaroPreventionTalkSteps,
  hammaroSafetyWalkSteps,
  hammaroSituationSteps,
} from './hammaro-partnership';
import { hammaroPromiseSteps } from './hammaro-seed';
import type { SeedStep } from './seed-step';

/** All demo data of the Hammarö partnership, in the order it happened. */
export function hammaroSeed(): SeedStep[] {
  // Stable sort: steps of one day keep their order (a walk is planned before it is conducted).
  return [
    ...hammaroPartnershipSteps(),
    ...hammaroPromiseSteps(),
    ...hammaroSituationSteps(),
    ...hammaroPreventionTalkSteps(),
    ...hammaroSafetyWalkSteps(),
  ].sort((a, b) => a.on.localeCompare(b.on));
}
