import type { JsonObject } from '@samverkan/event-store/event-store.port';
import { claimCheck, dataRef } from './claim-check';

const EVENT_ID = '01a212f8-b47f-7009-a336-a8d931765455';

/** A field as the store's sealed read gives it: the envelope's JSON, bound to event and path. */
const sealed = (path: string) =>
  JSON.stringify({ $protected: 1, k: ['k1'], n: 'bm9uY2U=', c: 'Y2lwaGVy', e: EVENT_ID, p: path });

const talkHeld = (outcome: string, action: string): JsonObject => ({
  heldOn: '2024-11-20',
  participants: [{ agency: 'police', role: 'officer' }],
  guardiansPresent: true,
  outcome,
  agreedFollowUp: [
    { action, responsibleAgency: 'social-services', dueOn: '2024-12-01' },
    {
      action: sealed('agreedFollowUp[1].action'),
      responsibleAgency: 'police',
      dueOn: '2024-12-02',
    },
  ],
});

describe('the claim check of a feed message', () => {
  it('given sealed fields, then each is null, its path listed and its sealed text kept for the API', () => {
    const data = talkHeld(sealed('outcome'), sealed('agreedFollowUp[0].action'));
    const claimed = claimCheck({
      eventId: EVENT_ID,
      type: 'PreventionTalkHeld',
      streamId: 'prevention-talk-t1',
      data,
    });
    expect(claimed.withheld).toEqual([
      'outcome',
      'agreedFollowUp[0].action',
      'agreedFollowUp[1].action',
    ]);
    expect(claimed.data).toEqual({
      ...data,
      outcome: null,
      agreedFollowUp: [
        { action: null, responsibleAgency: 'social-services', dueOn: '2024-12-01' },
        { action: null, responsibleAgency: 'police', dueOn: '2024-12-02' },
      ],
    });
    expect(claimed.content.get('outcome')).toBe(sealed('outcome'));
    expect(JSON.stringify(claimed.data)).not.toContain('$protected');
  });

  it('given plaintext in a field the inventory lists (stored before encryption), then it is withheld all the same', () => {
    const claimed = claimCheck({
      eventId: EVENT_ID,
      type: 'PreventionTalkHeld',
      streamId: 'prevention-talk-t1',
      data: talkHeld('Oro för ungdomen', 'Hembesök hos familjen'),
    });
    expect(claimed.withheld).toEqual([
      'outcome',
      'agreedFollowUp[0].action',
      'agreedFollowUp[1].action',
    ]);
    expect(JSON.stringify(claimed.data)).not.toMatch(/Oro för|Hembesök/);
    expect(claimed.content.get('agreedFollowUp[0].action')).toBe('Hembesök hos familjen');
  });

  it('withholds a sealed text outside the inventory and an envelope object too: no ciphertext on a topic', () => {
    const envelope = { $protected: 1, k: ['k1'], n: 'bm9uY2U=', c: 'Y2lwaGVy' };
    const claimed = claimCheck({
      eventId: EVENT_ID,
      type: 'SomeoneElsesEvent',
      streamId: 'situation-report-r1',
      data: { note: sealed('note'), nested: { old: envelope }, kept: 'text' },
    });
    expect(claimed.data).toEqual({ note: null, nested: { old: null }, kept: 'text' });
    expect(claimed.withheld).toEqual(['note', 'nested.old']);
    expect(JSON.parse(claimed.content.get('nested.old')!)).toEqual({
      ...envelope,
      e: EVENT_ID,
      p: 'nested.old',
    });
  });

  it('leaves an event without personal fields as it is, the very same object', () => {
    const data = { signatoryId: 'chief', signedOn: '2022-12-15' };
    const claimed = claimCheck({
      eventId: EVENT_ID,
      type: 'PromiseSigned',
      streamId: 'citizen-promise-p',
      data,
    });
    expect(claimed.data).toBe(data);
    expect(claimed.withheld).toEqual([]);
  });

  it('never changes the data it was given', () => {
    const data = talkHeld(sealed('outcome'), 'Hembesök');
    const before = structuredClone(data);
    claimCheck({
      eventId: EVENT_ID,
      type: 'PreventionTalkHeld',
      streamId: 'prevention-talk-t',
      data,
    });
    expect(data).toEqual(before);
  });

  it('names the API route of the event, whatever trailing slash the address has', () => {
    expect(dataRef('https://samverkan.kommun.example/', EVENT_ID)).toBe(
      `https://samverkan.kommun.example/events/${EVENT_ID}/personal-data`,
    );
    expect(dataRef('https://kommun.example/samverkan', EVENT_ID)).toBe(
      `https://kommun.example/samverkan/events/${EVENT_ID}/personal-data`,
    );
  });
});
