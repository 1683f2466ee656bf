import { UnauthenticatedError } from '../unauthenticated.error';
import { refuseIdentityNumberSubject } from './relying-party';

const issuer = { name: 'Kommunens inloggning' };

describe("a provider's subject", () => {
  it.each([
    '198112189876',
    '19811218-9876',
    '811218–9876',
    '８１１２１８-９８７６',
    'user:8112189876',
  ])('is refused when it holds a personal identity number (%s), without saying it', (subject) => {
    let error: unknown;
    try {
      refuseIdentityNumberSubject(issuer, subject);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toMatch(/pairwise/);
    expect((error as Error).message).not.toContain(subject);
  });

  it.each([
    '248289761001',
    'a3f1c9e2-77b0-4d2b-9a1e-5d1c6a0f9b11',
    '070-123 45 67',
    'demo-kommunpolis',
  ])('passes when it is opaque (%s)', (subject) =>
    expect(() => refuseIdentityNumberSubject(issuer, subject)).not.toThrow(),
  );
});
