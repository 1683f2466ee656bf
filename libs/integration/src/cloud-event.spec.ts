import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import { toCloudEvent } from './cloud-event';

const recorded: RecordedEvent = {
  eventId: '01a212f8-b47f-7009-a336-a8d931765455',
  type: 'CommitmentActivityRecorded',
  schemaVersion: 2,
  streamId: 'citizen-promise-hammaro-2023-2025',
  revision: 7,
  globalPosition: 1234,
  occurredAt: new Date('2024-09-03T08:00:00.000Z'),
  recordedAt: new Date('2024-09-03T08:00:01.500Z'),
  actor: { userId: 'officer.1', agency: 'police', role: 'officer' },
  correlationId: 'c-1',
  causationId: null,
  data: { activityId: 'a-1', place: 'Skoghall centrum' },
};

describe('CloudEvent of a recorded event', () => {
  it('given a recorded event, then its id, type with version, subject, time and extensions follow the envelope', () => {
    const ce = toCloudEvent(recorded, 'hammaro');
    expect(ce).toEqual({
      specversion: '1.0',
      id: recorded.eventId,
      source: 'urn:samverkan:partnership:hammaro',
      type: 'se.samverkan.CommitmentActivityRecorded.v2',
      subject: 'citizen-promise-hammaro-2023-2025',
      time: '2024-09-03T08:00:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:samverkan:schema:CommitmentActivityRecorded:v2',
      globalposition: 1234,
      streamrevision: 7,
      agency: 'police',
      recordedtime: '2024-09-03T08:00:01.500Z',
      correlationid: 'c-1',
      data: recorded.data,
    });
  });

  it('names extension attributes as CloudEvents 1.0 allows (lowercase letters and digits, at most 20)', () => {
    const core = new Set([
      'specversion',
      'id',
      'source',
      'type',
      'subject',
      'time',
      'datacontenttype',
      'dataschema',
      'data',
    ]);
    const withText = { ...recorded, data: { ...recorded.data, outcome: 'text' } };
    const extensions = Object.keys(toCloudEvent(withText, 'hammaro')).filter((k) => !core.has(k));
    expect(extensions).toEqual(expect.arrayContaining(['dataref', 'withheld']));
    expect(extensions.length).toBeGreaterThan(0);
    for (const name of extensions) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
  });

  it('does not carry the acting user: agency systems learn the agency, the audit trail says who', () => {
    expect(JSON.stringify(toCloudEvent(recorded, 'hammaro'))).not.toContain('officer.1');
  });

  describe('personal fields (the claim check)', () => {
    const NAMED = 'Kalle Karlsson i 9B stoppades';
    const sealedOutcome = JSON.stringify({
      $protected: 1,
      k: ['k1'],
      n: 'bm9uY2U=',
      c: 'Y2lwaGVy',
      e: recorded.eventId,
      p: 'outcome',
    });

    it('given an event read sealed, then the field is null, listed in withheld, and dataref names the API route', () => {
      const ce = toCloudEvent(
        { ...recorded, data: { ...recorded.data, outcome: sealedOutcome } },
        'hammaro',
        { apiUrl: 'https://samverkan.kommun.example/' },
      );
      expect(ce.data).toEqual({ ...recorded.data, outcome: null });
      expect(ce.withheld).toEqual(['outcome']);
      expect(ce.dataref).toBe(
        `https://samverkan.kommun.example/events/${recorded.eventId}/personal-data`,
      );
      expect(JSON.stringify(ce)).not.toContain('$protected');
      expect(JSON.stringify(ce)).not.toContain('Y2lwaGVy');
    });

    it('given an event read revealed (or stored in plaintext), then the text is withheld as well', () => {
      const ce = toCloudEvent(
        { ...recorded, data: { ...recorded.data, outcome: NAMED } },
        'hammaro',
      );
      expect(JSON.stringify(ce)).not.toContain(NAMED);
      expect(ce.withheld).toEqual(['outcome']);
      expect(ce.dataref).toBe(`http://localhost:3000/events/${recorded.eventId}/personal-data`);
    });

    it('carries neither dataref nor withheld when nothing was withheld', () => {
      const ce = toCloudEvent(recorded, 'hammaro');
      expect(ce).not.toHaveProperty('dataref');
      expect(ce).not.toHaveProperty('withheld');
    });
  });
});
