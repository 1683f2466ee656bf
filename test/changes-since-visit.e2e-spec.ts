import type { Actor } from '../libs/domain/src/actor';
import { bearer, embeddedApi } from './support/api-harness';

/**
 * "What changed since my last visit" on the start page: the changes a user may know of, after
 * the position they last marked as seen, kept per user in a table; their own left out, a
 * restricted report not shared with them never counted.
 */
const officer: Actor = { userId: 'polis.besok', agency: 'police', role: 'officer' };
const principal: Actor = { userId: 'rektor.besok', agency: 'school', role: 'principal' };
const youthWorker: Actor = { userId: 'fritid.besok', agency: 'leisure', role: 'youth-worker' };

let reports = 0;
const report = (description: string, sharedWith: string[] = []) => ({
  reportId: `besok-${++reports}-${Date.now()}`,
  placeIds: ['skoghall-centrum'],
  problemArea: 'vandalism-burglary',
  period: { from: '2026-11-01', to: '2026-11-30' },
  trend: 'rising',
  severity: 'medium',
  description,
  source: 'own-observation',
  sensitivity: sharedWith.length > 0 ? 'restricted' : 'open',
  sharedWith,
});

interface Changes {
  lastVisit: { seenThrough: number; at: string } | null;
  headPosition: number;
  changes: { position: number; type: string; streamId: string; agency: string }[];
  total: number;
  partial: boolean;
}

describe('what changed since my last visit', () => {
  const { http } = embeddedApi({}, [officer, principal, youthWorker]);

  const changes = async (actor: Actor): Promise<Changes> =>
    (await http().get('/api/worklist/changes').set(bearer(actor)).expect(200)).body as Changes;
  const markSeen = (actor: Actor, through: number) =>
    http().post('/api/worklist/changes/seen').set(bearer(actor)).send({ through });
  const reportAs = async (actor: Actor, body: ReturnType<typeof report>) =>
    (await http().post('/api/situation-reports').set(bearer(actor)).send(body).expect(201))
      .body as { events: { globalPosition: number }[] };

  it('lists, after a visit, only what others did that I may know of, newest first', async () => {
    const first = await changes(officer);
    expect(first.lastVisit).toBeNull();
    const seen = (await markSeen(officer, first.headPosition).expect(200)).body;
    expect(seen.seenThrough).toBe(first.headPosition);

    const open = report('Klotter vid busshållplatsen.');
    await reportAs(principal, open);
    // Restricted to the school and leisure services: the police may not know of it at all.
    await reportAs(principal, report('Oro kring en grupp vid fritidsgården.', ['leisure']));
    const later = report('Stenkastning mot bussar.');
    await reportAs(principal, later);
    // The officer's own report is no news to the officer.
    await reportAs(officer, report('Ökad narkotikaförsäljning vid centrum.'));

    const now = await changes(officer);
    expect(now.lastVisit?.seenThrough).toBe(first.headPosition);
    expect(now.changes.map((c) => c.streamId)).toEqual([
      `situation-report-${later.reportId}`,
      `situation-report-${open.reportId}`,
    ]);
    expect(now.changes.every((c) => c.agency === 'school' && c.type === 'SituationReported')).toBe(
      true,
    );
    expect(now.total).toBe(2);
    expect(now.partial).toBe(false);
    // Nothing of what the reports say.
    expect(JSON.stringify(now)).not.toContain('Klotter');

    // The leisure services were shared the restricted one: they see all three.
    const leisure = await changes(youthWorker);
    const reported = leisure.changes.filter((c) => c.type === 'SituationReported');
    expect(reported.filter((c) => c.agency === 'school')).toHaveLength(3);
  });

  it('keeps a visit per user, never moving it back', async () => {
    const before = await changes(principal);
    await markSeen(principal, before.headPosition).expect(200);
    expect((await changes(principal)).total).toBe(0);
    // A late request from another tab with an older position does not bring changes back.
    const older = (await markSeen(principal, Math.max(0, before.headPosition - 3)).expect(200))
      .body;
    expect(older.seenThrough).toBe(before.headPosition);
    await reportAs(officer, report('Mopedåkning på gångvägen.'));
    const after = await changes(principal);
    expect(after.total).toBe(1);
    expect(after.changes[0]).toMatchObject({ agency: 'police', type: 'SituationReported' });
    // The officer's visit is the officer's own: the principal marking seen did not touch it.
    expect((await changes(officer)).total).toBeGreaterThanOrEqual(2);
  });

  it('refuses a position beyond the log, storing nothing, and an anonymous caller', async () => {
    const { headPosition } = await changes(youthWorker);
    const res = await markSeen(youthWorker, headPosition + 1000).expect(400);
    expect(res.body.errors).toEqual([{ path: 'through', reason: expect.any(String) }]);
    expect((await changes(youthWorker)).lastVisit).toBeNull();
    await markSeen(youthWorker, -1).expect(400);
    await http().get('/api/worklist/changes').expect(401);
  });
});
