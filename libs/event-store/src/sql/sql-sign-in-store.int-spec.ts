import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedEventStore } from '../embedded/embedded-event-store';
import type { EventStore } from '../event-store.port';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import type { SessionRecord, SignInStore } from '../sign-in.port';
import { type SqlEventStore } from './sql-event-store';
import { SqlSignInStore } from './sql-sign-in-store';

const ISSUER = 'https://login.kommun.example/v2.0';
const OTHER_ISSUER = 'https://idp.polisen.example';
const IDLE = 30 * 60;
// Session times are the caller's `now`; in the future so the store's own sweep of sessions past
// expires_at (by the database clock) leaves these alone.
const T0 = new Date('2030-03-01T08:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sessionOf = (userId: string, more: Partial<SessionRecord> = {}): SessionRecord => ({
  userId,
  issuer: 'kommun',
  activeRole: null,
  csrfToken: `csrf-${userId}`,
  createdAt: T0,
  lastSeenAt: T0,
  expiresAt: at(10 * 3600),
  ...more,
});

function signInContract(name: string, open: () => Promise<EventStore>): void {
  describe(`SqlSignInStore on ${name}`, () => {
    let store: EventStore;
    let signIn: SignInStore;

    beforeAll(async () => {
      store = await open();
      await store.start();
      signIn = new SqlSignInStore((store as SqlEventStore).sqlClient);
    });
    afterAll(() => store.close());

    describe('identities', () => {
      it('links the offered user id on first sign-in and keeps it on every later one', async () => {
        const first = await signIn.linkIdentity({
          issuer: ISSUER,
          subjectDigest: 'sub-anna',
          userId: 'u-anna',
          displayName: 'Anna Berg',
        });
        expect(first).toEqual({ userId: 'u-anna', firstSignIn: true });
        // A later offer of another id (a rotated key, say) must not move the person to a new
        // user: their roles and their history in the log hang on the first one.
        const later = await signIn.linkIdentity({
          issuer: ISSUER,
          subjectDigest: 'sub-anna',
          userId: 'u-someone-else',
          displayName: 'Anna Berg',
        });
        expect(later).toEqual({ userId: 'u-anna', firstSignIn: false });
        expect(await signIn.userIdOf(ISSUER, 'sub-anna')).toBe('u-anna');
        expect(await signIn.userIdOf(OTHER_ISSUER, 'sub-anna')).toBeUndefined();
      });

      it('keeps the same subject at another issuer apart: another identity, first sign-in there', async () => {
        await signIn.linkIdentity({
          issuer: ISSUER,
          subjectDigest: 'sub-shared',
          userId: 'u-shared-a',
          displayName: null,
        });
        const other = await signIn.linkIdentity({
          issuer: OTHER_ISSUER,
          subjectDigest: 'sub-shared',
          userId: 'u-shared-b',
          displayName: null,
        });
        expect(other).toEqual({ userId: 'u-shared-b', firstSignIn: true });
      });

      it('refreshes the display name on a later sign-in, and keeps it when the provider sends none', async () => {
        const link = (displayName: string | null) =>
          signIn.linkIdentity({
            issuer: ISSUER,
            subjectDigest: 'sub-bo',
            userId: 'u-bo',
            displayName,
          });
        await link('Bo Ek');
        await link('Bo Ekström');
        expect(await signIn.displayNames(['u-bo'])).toEqual(new Map([['u-bo', 'Bo Ekström']]));
        // A bearer token carries no name (linkIdentity with null): it must not wipe the one known.
        await link(null);
        expect(await signIn.displayNames(['u-bo'])).toEqual(new Map([['u-bo', 'Bo Ekström']]));
      });

      it('lists who signed in through the given issuers only, the latest sign-in first', async () => {
        const issuerA = 'https://a.identities-from.example';
        const issuerB = 'https://b.identities-from.example';
        const issuerC = 'https://c.identities-from.example';
        const link = (issuer: string, subject: string, userId: string, displayName: string) =>
          signIn.linkIdentity({ issuer, subjectDigest: subject, userId, displayName });
        await link(issuerA, 'sub-1', 'u-one', 'One');
        await sleep(5);
        await link(issuerB, 'sub-2', 'u-two', 'Two');
        await sleep(5);
        await link(issuerC, 'sub-3', 'u-three', 'Three');
        await sleep(5);
        await link(issuerA, 'sub-1', 'u-one', 'One again'); // moves u-one to the front

        const known = await signIn.identitiesFrom([issuerA, issuerB]);
        expect(known.map((k) => [k.userId, k.issuer, k.displayName])).toEqual([
          ['u-one', issuerA, 'One again'],
          ['u-two', issuerB, 'Two'],
        ]);
        const one = known[0]!;
        expect(one.lastSeen.getTime()).toBeGreaterThan(one.firstSeen.getTime());
        expect(await signIn.identitiesFrom([])).toEqual([]);
      });

      it('gives display names of the asked users that have one, the latest sign-in winning', async () => {
        await signIn.linkIdentity({
          issuer: ISSUER,
          subjectDigest: 'sub-cia',
          userId: 'u-cia',
          displayName: 'Cia (kommun)',
        });
        await sleep(5);
        // One user id linked from two providers: the name of the latest sign-in is shown.
        await signIn.linkIdentity({
          issuer: OTHER_ISSUER,
          subjectDigest: 'sub-cia',
          userId: 'u-cia',
          displayName: 'Cia (polisen)',
        });
        await signIn.linkIdentity({
          issuer: ISSUER,
          subjectDigest: 'sub-nameless',
          userId: 'u-nameless',
          displayName: null,
        });
        expect(await signIn.displayNames(['u-cia', 'u-nameless', 'u-unknown'])).toEqual(
          new Map([['u-cia', 'Cia (polisen)']]),
        );
        expect(await signIn.displayNames([])).toEqual(new Map());
      });

      it("erases a user's display names from every provider, keeping the user id", async () => {
        for (const issuer of [ISSUER, OTHER_ISSUER]) {
          await signIn.linkIdentity({
            issuer,
            subjectDigest: 'sub-dan',
            userId: 'u-dan',
            displayName: 'Dan Holm',
          });
        }
        await signIn.linkIdentity({
          issuer: ISSUER,
          subjectDigest: 'sub-eva',
          userId: 'u-eva',
          displayName: 'Eva Lind',
        });

        expect(await signIn.eraseDisplayName('u-dan')).toBe(2);
        expect(await signIn.displayNames(['u-dan', 'u-eva'])).toEqual(
          new Map([['u-eva', 'Eva Lind']]),
        );
        expect(await signIn.userIdOf(ISSUER, 'sub-dan')).toBe('u-dan');
        expect(await signIn.eraseDisplayName('u-nobody')).toBe(0);
      });
    });

    describe('sessions', () => {
      it('touching an active session gives it back and moves its last-seen time', async () => {
        await signIn.createSession('s-active', sessionOf('u-active'));
        const touched = await signIn.touchSession('s-active', at(20 * 60), IDLE);
        expect(touched).toEqual(sessionOf('u-active', { lastSeenAt: at(20 * 60) }));
        // 45 minutes after creation but 25 after the touch: alive only if the touch was stored.
        const again = await signIn.touchSession('s-active', at(45 * 60), IDLE);
        expect(again?.lastSeenAt).toEqual(at(45 * 60));
      });

      it('given a session idle longer than the idle time, gives nothing and deletes it', async () => {
        await signIn.createSession('s-idle', sessionOf('u-idle'));
        expect(await signIn.touchSession('s-idle', at(IDLE + 1), IDLE)).toBeUndefined();
        // Deleted, not just refused: a touch that would be in time is refused too.
        expect(await signIn.touchSession('s-idle', at(60), IDLE)).toBeUndefined();
        expect(await signIn.endSession('s-idle')).toBeUndefined();
      });

      it('given a session past its absolute end, gives nothing and deletes it even when active', async () => {
        const expiresAt = at(3600);
        await signIn.createSession(
          's-expired',
          sessionOf('u-expired', { lastSeenAt: at(3600 - 120), expiresAt }),
        );
        expect(await signIn.touchSession('s-expired', at(3600 - 60), IDLE)).toBeDefined();
        // Touched a minute before, so not idle: only the absolute end can refuse it.
        expect(await signIn.touchSession('s-expired', at(3600), IDLE)).toBeUndefined();
        expect(await signIn.endSession('s-expired')).toBeUndefined();
      });

      it('gives nothing for an unknown session', async () => {
        expect(await signIn.touchSession('s-unknown', T0, IDLE)).toBeUndefined();
      });

      it('keeps the role chosen for the session', async () => {
        await signIn.createSession('s-role', sessionOf('u-role'));
        await signIn.setActiveRole('s-role', 'coordinator');
        expect((await signIn.touchSession('s-role', at(60), IDLE))?.activeRole).toBe('coordinator');
      });

      it('ending a session gives its record (for the id token) once, then nothing', async () => {
        const record = sessionOf('u-end', { activeRole: 'analyst' });
        await signIn.createSession('s-end', record);
        expect(await signIn.endSession('s-end')).toEqual(record);
        expect(await signIn.endSession('s-end')).toBeUndefined();
        expect(await signIn.touchSession('s-end', at(60), IDLE)).toBeUndefined();
      });

      it('keeps sessions apart by their id digest', async () => {
        await signIn.createSession('s-apart-1', sessionOf('u-apart-1'));
        await signIn.createSession('s-apart-2', sessionOf('u-apart-2', { activeRole: 'teacher' }));
        await signIn.endSession('s-apart-1');
        expect(await signIn.touchSession('s-apart-2', at(60), IDLE)).toMatchObject({
          userId: 'u-apart-2',
          activeRole: 'teacher',
        });
      });
    });

    describe('login flows', () => {
      const flow = {
        issuerId: 'kommun',
        codeVerifier: 'verifier',
        nonce: 'nonce',
        returnTo: '/cases',
      };

      it('gives a flow once: a replayed callback finds nothing', async () => {
        await signIn.saveLoginFlow('state-once', flow);
        expect(await signIn.takeLoginFlow('state-once', 600)).toEqual(flow);
        expect(await signIn.takeLoginFlow('state-once', 600)).toBeUndefined();
        expect(await signIn.takeLoginFlow('state-unknown', 600)).toBeUndefined();
      });

      it('gives nothing for a flow older than the maximum age, and deletes it', async () => {
        await signIn.saveLoginFlow('state-old', flow);
        await signIn.saveLoginFlow('state-fresh', { ...flow, returnTo: '/fresh' });
        await sleep(1100);
        expect(await signIn.takeLoginFlow('state-old', 1)).toBeUndefined();
        expect(await signIn.takeLoginFlow('state-old', 600)).toBeUndefined();
        // The same wait within a longer maximum age: it was the age, not the wait, that refused.
        expect(await signIn.takeLoginFlow('state-fresh', 600)).toEqual({
          ...flow,
          returnTo: '/fresh',
        });
      });
    });

    describe('API keys', () => {
      const key = (keyId: string, agency: string, issuedAt: Date) => ({
        keyId,
        agency,
        systemId: `${agency}-records`,
        label: `${keyId} of ${agency}`,
        issuedBy: `u-admin-${agency}`,
        issuedAt,
      });

      it('finds an issued key by its digest, not revoked', async () => {
        await signIn.issueApiKey('digest-k1', key('k1', 'school', T0));
        expect(await signIn.apiKeyByDigest('digest-k1')).toEqual({
          ...key('k1', 'school', T0),
          revokedAt: null,
        });
        expect(await signIn.apiKeyByDigest('digest-unknown')).toBeUndefined();
      });

      it("lists an agency's keys only, the newest first", async () => {
        await signIn.issueApiKey('digest-l1', key('l1', 'leisure', at(0)));
        await signIn.issueApiKey('digest-l2', key('l2', 'leisure', at(60)));
        await signIn.issueApiKey('digest-h1', key('h1', 'housing-company', at(30)));
        expect((await signIn.apiKeysOf('leisure')).map((k) => k.keyId)).toEqual(['l2', 'l1']);
        expect(await signIn.apiKeysOf('rescue-service')).toEqual([]);
      });

      it("refuses to revoke another agency's key, which stays usable", async () => {
        await signIn.issueApiKey('digest-p1', key('p1', 'police', T0));
        expect(await signIn.revokeApiKey('p1', 'school', 'u-admin-school', at(60))).toBe(false);
        expect((await signIn.apiKeyByDigest('digest-p1'))?.revokedAt).toBeNull();
      });

      it('revokes a key of the agency once: it shows when, and a second revocation is refused', async () => {
        await signIn.issueApiKey('digest-s1', key('s1', 'social-services', T0));
        expect(await signIn.revokeApiKey('s1', 'social-services', 'u-admin', at(60))).toBe(true);
        expect((await signIn.apiKeyByDigest('digest-s1'))?.revokedAt).toEqual(at(60));
        expect(
          (await signIn.apiKeysOf('social-services')).find((k) => k.keyId === 's1')?.revokedAt,
        ).toEqual(at(60));
        // The first revocation's time stands: a second one must not move it.
        expect(await signIn.revokeApiKey('s1', 'social-services', 'u-admin', at(120))).toBe(false);
        expect((await signIn.apiKeyByDigest('digest-s1'))?.revokedAt).toEqual(at(60));
        expect(await signIn.revokeApiKey('no-such-key', 'social-services', 'u-admin', T0)).toBe(
          false,
        );
      });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'samverkan-sign-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
signInContract('the embedded store', () => createEmbeddedEventStore({ dataDir: dir }));

const pg = requirePostgres('the sign-in store suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  signInContract('PostgreSQL', async () =>
    createPostgresEventStore({ connectionString: await databases.create() }),
  );
});
