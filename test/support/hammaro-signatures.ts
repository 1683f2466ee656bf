import type request from 'supertest';
import type { Actor } from '../../libs/domain/src/actor';
import { bearer } from './api-harness';

/** The signatories of the Hammarö promise, each signed by a holder of the matching role. */
export interface HammaroSigners {
  /** The police area's chief (`area-chief`). */
  readonly policeChief: Actor;
  /** The municipal board's chair (`board-chair`). */
  readonly boardChair: Actor;
  /** The municipality's chief executive (`chief-executive`). */
  readonly chiefExecutive: Actor;
}

/** Signs the drafted Hammarö promise by all three signatories, as on 15 December 2022. */
export async function signHammaroPromise(
  http: () => ReturnType<typeof request>,
  signers: HammaroSigners,
): Promise<void> {
  for (const [by, signatoryId] of [
    [signers.policeChief, 'lpo-karlstad-chief'],
    [signers.boardChair, 'board-chair'],
    [signers.chiefExecutive, 'chief-executive'],
  ] as const) {
    await http()
      .post('/promises/hammaro-2023-2025/signatures')
      .set(bearer(by))
      .send({ signatoryId, signedOn: '2022-12-15' })
      .expect(201);
  }
}
