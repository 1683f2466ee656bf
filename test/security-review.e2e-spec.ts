import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../libs/domain/src/actor';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../apps/api/src/auth/token-secret';
import { bearer, embeddedApi, TEST_SECRET, tokenFor } from './support/api-harness';

/**
 * What a security review of the code found, one test per fix, on the seeded Hammarö log.
 */
describe('security review: access before anything is revealed', () => {
  const officer: Actor = { userId: 'polis.1', agency: 'police', role: 'officer' };
  const policeAuditor: Actor = { userId: 'revisor.polis', agency: 'police', role: 'auditor' };
  const socialDpo: Actor = {
    userId: 'dso.soc',
    agency: 'social-services',
    role: 'data-protection-officer',
  };
  const partnershipAuditor: Actor = {
    userId: 'revisor.samverkan',
    agency: 'municipality',
    role: 'partnership-auditor',
  };
  const socialWorker: Actor = {
    userId: 'socialsekreterare.ungdom',
    agency: 'social-services',
    role: 'social-worker',
  };
  const fieldWorker: Actor = { userId: 'falt.1', agency: 'social-services', role: 'field-worker' };
  const operator: Actor = { userId: 'drift.1', agency: 'municipality', role: 'operator' };
  /** A user id a spreadsheet would run as a formula (the register takes any id it is given). */
  const formulaOfficer: Actor = {
    userId: '=HYPERLINK("http://x")',
    agency: 'police',
    role: 'officer',
  };
  const TALK = '/prevention-talks/sspf-2024-001';

  const { http } = embeddedApi({ SAMVERKAN_SEED: 'auto' }, [
    officer,
    policeAuditor,
    socialDpo,
    partnershipAuditor,
    socialWorker,
    fieldWorker,
    operator,
    formulaOfficer,
  ]);

  it('an agency’s auditor and data protection officer read only what their agency controls', async () => {
    const own = await http().get('/audit-trail?limit=1000').set(bearer(policeAuditor)).expect(200);
    const agencies = new Set((own.body as { actorAgency: string }[]).map((e) => e.actorAgency));
    expect([...agencies]).toEqual(['police']);
    await http().get('/audit-trail?agency=school').set(bearer(policeAuditor)).expect(403);
    await http().get('/audit-trail?agency=police').set(bearer(socialDpo)).expect(403);
    const all = await http()
      .get('/audit-trail?limit=1000')
      .set(bearer(partnershipAuditor))
      .expect(200);
    expect(
      new Set((all.body as { actorAgency: string }[]).map((e) => e.actorAgency)).size,
    ).toBeGreaterThan(3);
    // Reads are logged, then read back by the DPO of the readers' agency alone.
    await http().get(`${TALK}?purpose=SSPF-uppfoljning`).set(bearer(socialWorker)).expect(200);
    const reads = await http().get('/audit-trail/read-access').set(bearer(socialDpo)).expect(200);
    expect(reads.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorUserId: socialWorker.userId })]),
    );
    await http().get('/audit-trail/read-access?agency=police').set(bearer(socialDpo)).expect(403);
    // The audit trail never carries the reads, whatever its query asks for.
    const asked = await http()
      .get('/audit-trail?type=RestrictedDataRead')
      .set(bearer(fieldWorker))
      .expect(200);
    expect(asked.body).toEqual([]);
  });

  it('shows an agency’s users no row of a talk they do not take part in, in their own agency’s trail', async () => {
    // A police officer outside the talk: the police's own actions, but not the talk's rows
    // (its id, its dates and revisions); the police's auditor sees them.
    const officerTrail = await http()
      .get('/audit-trail?limit=1000')
      .set(bearer(officer))
      .expect(200);
    expect(JSON.stringify(officerTrail.body)).not.toContain('prevention-talk-');
    const auditorTrail = await http()
      .get('/audit-trail?limit=1000')
      .set(bearer(policeAuditor))
      .expect(200);
    expect(JSON.stringify(auditorTrail.body)).toContain('prevention-talk-sspf-2024-001');
  });

  it('a talk is acted on only by the roles that read it; others are told there is no such talk, with no date or state', async () => {
    const res = await http()
      .post(`${TALK}/follow-ups`)
      .set(bearer(fieldWorker))
      .send({ followedUpOn: '2024-11-20', notes: 'Uppföljning', closed: false })
      .expect(404);
    expect(res.body.code).toBe('TALK.NOT_FOUND');
    expect(res.text).not.toMatch(/2024-10-03|held|closed|SOC-/);
    const missing = await http()
      .post('/prevention-talks/no-such-talk/follow-ups')
      .set(bearer(fieldWorker))
      .send({ followedUpOn: '2024-11-20', notes: 'Uppföljning', closed: false })
      .expect(404);
    expect(missing.body.detail).toBe(res.body.detail);
  });

  it('answers If-Match and a reused id only after the access check, so neither reveals a stream', async () => {
    // A stale If-Match from someone outside the talk: 404, not a 409 with the revision.
    const stale = await http()
      .post(`${TALK}/follow-ups`)
      .set(bearer(officer))
      .set('If-Match', '"0"')
      .send({ followedUpOn: '2024-11-20', notes: 'Uppföljning', closed: false })
      .expect(404);
    expect(stale.body).not.toHaveProperty('currentRevision');
    // Planning a talk under an id taken by a talk you are not in: no word of what it is.
    const taken = await http()
      .post('/prevention-talks')
      .set(bearer(officer))
      .set('If-Match', '"0"')
      .send({
        talkId: 'sspf-2024-001',
        subjectRef: 'POL-9X8Y7Z',
        plannedFor: '2024-12-10',
        participants: [
          { agency: 'police', role: 'officer' },
          { agency: 'social-services', role: 'social-worker' },
        ],
        purpose: 'Oro',
        legalGround: { basis: 'consent' },
      })
      .expect(409);
    expect(taken.body.code).toBe('TALK.ID_TAKEN');
    expect(taken.body).not.toHaveProperty('currentRevision');
    expect(taken.text).not.toMatch(/planned|2024/);
  });

  it('sends Cache-Control: no-store with every answer to a signed-in caller', async () => {
    for (const path of [
      '/promises/hammaro-2023-2025',
      `${TALK}?purpose=SSPF-uppfoljning`,
      '/situation-picture?purpose=lagesbild',
      '/worklist',
      '/promises/hammaro-2023-2025/follow-up-report?format=pdf&from=2024-08-05&to=2024-12-01',
    ]) {
      const res = await http().get(path).set(bearer(socialWorker));
      expect(res.status).toBe(200);
      expect(`${path}: ${String(res.headers['cache-control'])}`).toBe(`${path}: no-store`);
    }
  });

  it('refuses a token without an expiry, one signed with none or another key', async () => {
    const jwt = new JwtService({ secret: TEST_SECRET });
    const claims = { agency: 'police', role: 'officer' };
    const options = { subject: 'polis.1', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE };
    const noExpiry = jwt.sign(claims, options);
    const unsigned = jwt.sign(claims, { ...options, expiresIn: 600, algorithm: 'none' as never });
    const otherKey = tokenFor(officer, 'another-key-0123456789-0123456789-0123');
    for (const token of [noExpiry, unsigned, otherKey]) {
      const res = await http()
        .get('/promises/hammaro-2023-2025')
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
    }
    await http().get('/promises/hammaro-2023-2025').set(bearer(officer)).expect(200);
  });

  it('keeps failed sign-ins and refusals in the security log for the operator, with no credential in it', async () => {
    await http()
      .get('/promises/hammaro-2023-2025')
      .set('Authorization', 'Bearer not-a-token-but-a-secret')
      .expect(401);
    // A well-signed token for a user the register does not know is a credential too.
    const unknownUsersToken = tokenFor({ userId: 'okand.1', agency: 'police', role: 'officer' });
    await http().get('/worklist').set('Authorization', `Bearer ${unknownUsersToken}`).expect(401);
    await http().get('/audit-trail?agency=school').set(bearer(policeAuditor)).expect(403);
    await http().get('/security-log').set(bearer(policeAuditor)).expect(403);
    // The entry is written as the refusal is answered: wait for it rather than race it.
    let log = await http().get('/security-log?limit=50').set(bearer(operator)).expect(200);
    for (let i = 0; i < 50 && (log.body as unknown[]).length < 4; i++) {
      await new Promise((r) => setTimeout(r, 40));
      log = await http().get('/security-log?limit=50').set(bearer(operator)).expect(200);
    }
    expect(log.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'authentication-failed',
          status: 401,
          route: '/api/promises/:promiseId',
          caller: null,
        }),
        expect.objectContaining({
          kind: 'authentication-failed',
          status: 401,
          route: '/api/worklist',
        }),
        expect.objectContaining({
          kind: 'refused',
          status: 403,
          route: '/api/audit-trail',
          caller: `police:${policeAuditor.userId}`,
        }),
      ]),
    );
    expect(JSON.stringify(log.body)).not.toContain('not-a-token-but-a-secret');
    expect(JSON.stringify(log.body)).not.toContain(unknownUsersToken);
    expect(JSON.stringify(log.body)).not.toContain(unknownUsersToken.split('.')[2]!);
  });

  it('neutralises CSV cells a spreadsheet would run as a formula', async () => {
    await http()
      .post('/promises/hammaro-2023-2025/activities')
      .set(bearer(formulaOfficer))
      .send({
        commitmentId: 'police-foot-patrol',
        kind: 'foot-patrol',
        date: '2024-11-29',
        placeIds: ['skoghall-centrum'],
        agenciesPresent: ['police'],
        outcome: 'Fotpatrull',
        figures: {},
      })
      .expect(201);
    const csv = await http()
      .get('/audit-trail?format=csv&agency=police&limit=1000&waitFor=1')
      .set(bearer(policeAuditor))
      .expect(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.text).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('security review: production refuses development tokens, health tells only up or down', () => {
  // Granted, so the token is refused for being a development token and for nothing else.
  const officer: Actor = { userId: 'polis.1', agency: 'police', role: 'officer' };
  const { http } = embeddedApi(
    {
      SAMVERKAN_SEED: 'off',
      SAMVERKAN_ENV: 'production',
      SAMVERKAN_OPENAPI: 'off',
    },
    [officer],
  );

  it('answers an HS256 token with 401 in production', async () => {
    const res = await http().get('/promises/hammaro-2023-2025').set(bearer(officer)).expect(401);
    expect(res.body.detail).toMatch(/production/);
  });

  it('answers /health/live and /health without credentials, with nothing but up or down', async () => {
    await http().get('/health/live').expect(200, { status: 'ok' });
    const health = await http().get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it('leaves out /docs when SAMVERKAN_OPENAPI=off', async () => {
    await http().get('/api/docs-json').expect(404);
  });
});

describe('security review: rate limits per caller and, on public routes, per client address', () => {
  const busy: Actor = { userId: 'brådskande.1', agency: 'police', role: 'officer' };
  const calm: Actor = { userId: 'lugn.1', agency: 'police', role: 'officer' };
  const { http } = embeddedApi(
    {
      SAMVERKAN_SEED: 'off',
      SAMVERKAN_RATE_LIMIT: '5',
      SAMVERKAN_RATE_LIMIT_PUBLIC: '3',
      SAMVERKAN_RATE_LIMIT_WINDOW: '3600',
    },
    [busy, calm],
  );

  it('answers the caller past the limit with 429 and Retry-After; another caller goes on', async () => {
    for (let i = 0; i < 5; i++) await http().get('/me').set(bearer(busy)).expect(200);
    const refused = await http().get('/me').set(bearer(busy)).expect(429);
    expect(refused.body.code).toBe('REQUEST.RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    await http().get('/me').set(bearer(calm)).expect(200);
  });

  it('limits failed sign-ins per client address, so keys cannot be guessed without end', async () => {
    for (let i = 0; i < 3; i++) {
      await http().get('/me').set('Authorization', `ApiKey guess-${i}`).expect(401);
    }
    const refused = await http().get('/me').set('Authorization', 'ApiKey guess-x').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits public routes per client address, and never the probes', async () => {
    for (let i = 0; i < 3; i++) await http().get('/web-settings').expect(200);
    const refused = await http().get('/web-settings').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The probes must answer while the database that holds the counters is away, so they are
    // never counted; a flood of them costs one probe per dependency at a time.
    for (const path of ['/health/live', '/ready', '/health']) {
      for (let i = 0; i < 5; i++) await http().get(path).expect(200);
    }
  });
});
