import type { Actor } from '../libs/domain/src/actor';
import { isoWeekOf, swedishDate } from '../libs/domain/src/calendar';
import { EST_CATEGORIES } from '../libs/domain/src/situation-picture/est.events';
import { bearer, embeddedApi } from './support/api-harness';

const coordinator: Actor = {
  userId: 'trygghetssamordnare',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const guard: Actor = {
  userId: 'vaktare.hammaro',
  agency: 'municipal-security',
  role: 'security-guard',
};

/**
 * The EST picture at an earlier time, as the situation picture's "as of" shows it: the counts as
 * they had been reported then, folded from the log, and the same as today's at today's position.
 */
describe('the EST picture as of an earlier time (GET /api/situation-picture/est?asOf=)', () => {
  const { http } = embeddedApi({}, [coordinator, guard]);
  const thisWeek = isoWeekOf(swedishDate(new Date()));
  const query = `/api/situation-picture/est?from=${thisWeek}&to=${thisWeek}&areaId=skoghall-centrum`;
  // Three acts of vandalism at the harbour this week, nothing else.
  const counts = Object.fromEntries(EST_CATEGORIES.map((c) => [c, c === 'vandalism' ? 3 : 0]));

  it('leaves out counts reported after the time asked for', async () => {
    const head = (await http().get(query).set(bearer(coordinator)).expect(200)).body as {
      weeks: unknown[];
    };
    expect(head.weeks).toEqual([]);
    const written = await http()
      .post('/api/est/counts')
      .set(bearer(guard))
      .send({ placeId: 'lillangshamnen', week: thisWeek, counts })
      .expect(201);
    const position = (written.body as { globalPosition: number }).globalPosition;
    const now = await http()
      .get(`${query}&waitFor=${position}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(now.body.weeks).toEqual([
      { week: thisWeek, areaId: 'skoghall-centrum', category: 'vandalism', count: 3 },
    ]);
    const then = await http()
      .get(`${query}&asOf=${position - 1}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(then.body).toMatchObject({ asOf: String(position - 1), weeks: [], trends: [] });
    const atIt = await http().get(`${query}&asOf=${position}`).set(bearer(coordinator)).expect(200);
    expect({ ...atIt.body, asOf: undefined }).toEqual({ ...now.body, asOf: undefined });
    const problem = await http()
      .get(`${query}&asOf=yesterday`)
      .set(bearer(coordinator))
      .expect(400);
    expect(problem.body.errors).toEqual([
      expect.objectContaining({ path: 'query asOf' }) as unknown,
    ]);
  });
});
