import {
  PERSONAL_DATA_CONFIRMATIONS,
  type PersonalDataConfirmations,
} from '../libs/event-store/src/personal-data-confirmations.port';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { seedActors } from '../apps/api/src/seed/seed-step';
import { bearer, embeddedApi } from './support/api-harness';

/** A valid personal identity number, and the same with a wrong check digit. */
const PIN = '811218-9876';
const MISTYPED = '811218-9875';

/**
 * Personal identity numbers at the edge of the API: refused in every field, query and path
 * when certain; held for the author's confirmation when only possible, the confirmation
 * recorded under the correlation id the events carry.
 */
describe('personal identity numbers in what a request sends', () => {
  const { http, app } = embeddedApi({ SAMVERKAN_SEED: 'auto' });
  const housing = bearer(seedActors.housing);
  const finding = (description: string) => ({
    placeIds: ['innergard-skoghall-centrum'],
    kind: 'poor-lighting',
    description,
    responsibleParty: 'housing-company',
    reportedOn: '2024-12-02',
  });
  const store = (): EventStore => app().get(EVENT_STORE);
  const head = async () => (await store().status()).headPosition;

  it('refuses a valid number in a free text with its place, stores nothing and echoes no digit', async () => {
    const before = await head();
    const res = await http()
      .post('/findings')
      .set(housing)
      .send(finding(`Boende ${PIN} klagar på belysningen`))
      .expect(422);
    expect(res.body).toMatchObject({
      code: 'PERSONAL_DATA.DIRECT_IDENTIFIER',
      spans: [{ path: 'body.description', start: 7, end: 7 + PIN.length }],
    });
    expect(JSON.stringify(res.body)).not.toContain('9876');
    expect(await head()).toBe(before);
  });

  it('refuses a number in an id, a query value (the purpose of a read) and a path parameter', async () => {
    const inId = await http()
      .post('/findings')
      .set(housing)
      .send({ ...finding('Trasig armatur'), placeIds: [`plats-${PIN}`] })
      .expect(422);
    expect(inId.body.spans).toEqual([{ path: 'body.placeIds[0]', start: 6, end: 6 + PIN.length }]);
    const inPurpose = await http()
      .get(`/situation-picture?purpose=${encodeURIComponent(`Uppföljning ${PIN}`)}`)
      .set(bearer(seedActors.policeOfficer))
      .expect(422);
    expect(inPurpose.body.spans).toEqual([
      { path: 'query.purpose', start: 12, end: 12 + PIN.length },
    ]);
    const inPath = await http().get(`/findings/${PIN}`).set(housing).expect(422);
    expect(inPath.body.code).toBe('PERSONAL_DATA.DIRECT_IDENTIFIER');
    // The answer names the route, not the path the number was in.
    expect(JSON.stringify(inPath.body)).not.toContain('9876');
  });

  it('holds a possible number until its author confirms it is not one, and records the confirmation', async () => {
    const before = await head();
    const held = await http()
      .post('/findings')
      .set(housing)
      .send(finding(`Port ${MISTYPED} saknar ljus`))
      .expect(422);
    expect(held.body).toMatchObject({
      code: 'PERSONAL_DATA.CONFIRM',
      spans: [{ path: 'body.description', start: 5, end: 5 + MISTYPED.length }],
    });
    expect(await head()).toBe(before);
    // Confirming another field is not confirming this one.
    await http()
      .post('/findings')
      .set(housing)
      .set('Personal-Data-Confirmed', 'body.kind')
      .send(finding(`Port ${MISTYPED} saknar ljus`))
      .expect(422);

    const made = await http()
      .post('/findings')
      .set(housing)
      .set('Personal-Data-Confirmed', 'body.description')
      .send(finding(`Port ${MISTYPED} saknar ljus`))
      .expect(201);
    const correlationId = made.headers['x-correlation-id'] as string;
    const confirmations = app().get<PersonalDataConfirmations>(PERSONAL_DATA_CONFIRMATIONS);
    const [recorded] = await confirmations.recent(1);
    expect(recorded).toMatchObject({
      correlationId,
      caller: `housing-company:${seedActors.housing.userId}`,
      method: 'POST',
      route: '/api/findings',
      paths: ['body.description'],
    });
    expect(JSON.stringify(recorded)).not.toContain(MISTYPED);
    // The events of that request carry the same correlation id: one finds the other.
    const events = [];
    for await (const e of store().readAll({ after: before })) events.push(e);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.correlationId === correlationId)).toBe(true);
  });

  it('lets phone numbers and dates with times through without asking', async () => {
    await http()
      .post('/findings')
      .set(housing)
      .send(finding('Ring fastighetsjouren 070-123 45 67, trasig sedan 2024-12-01 18:30'))
      .expect(201);
  });
});
