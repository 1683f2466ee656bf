import {
  isRestricted,
  mayRead,
  mayReceiveFeed,
} from '@samverkan/domain/access-policy/access-policy';
import { AGENCIES, PARTNER_AGENCIES } from '@samverkan/domain/agencies/agencies';
import {
  agencyTopic,
  agencyTopics,
  audienceAfter,
  audiencesOfEvent,
  fixedAudience,
  sharedTopic,
  topicsFor,
  type StreamAudience,
} from './feed-audience';

type E = { streamId: string; type: string; data: Record<string, unknown> };

/** Given the stream's events, then the topics of each, in order. */
function topicsOf(events: E[]): string[][] {
  let audience: StreamAudience | undefined;
  return events.map((e) => {
    audience = audienceAfter(audience, e);
    return topicsFor('hammaro', audience).sort();
  });
}

const report = (sensitivity: string, sharedWith: string[]) => ({
  area: 'Skoghall',
  problemArea: 'vandalism-burglary',
  sensitivity,
  sharedWith,
});
const events = (...agencies: string[]) =>
  agencies.map((a) => agencyTopic('hammaro', a as never, false)).sort();
const restricted = (...agencies: string[]) =>
  agencies.map((a) => agencyTopic('hammaro', a as never, true)).sort();

describe('who receives an event on the feed', () => {
  it('given a promise, then every agency receives it, once for all on the shared topic: the promise is public', () => {
    expect(topicsOf([{ streamId: 'citizen-promise-p', type: 'PromiseDrafted', data: {} }])).toEqual(
      [[sharedTopic('hammaro')]],
    );
  });

  it('given a safety walk every agency is invited to, then it still goes to each agency: one that joins later was not invited', () => {
    const [planned, conducted] = topicsOf([
      {
        streamId: 'safety-walk-w',
        type: 'SafetyWalkPlanned',
        data: { invitedParties: [...AGENCIES] },
      },
      { streamId: 'safety-walk-w', type: 'SafetyWalkConducted', data: {} },
    ]);
    expect(planned).toEqual(events(...AGENCIES));
    expect(conducted).toEqual(planned);
  });

  it('sends to the shared topic only what every agency may receive and is not restricted', () => {
    const resources: NonNullable<StreamAudience>[] = [
      { kind: 'citizen-promise' },
      { kind: 'situation-picture' },
      { kind: 'partnership' },
      { kind: 'safety-walk', invitedParties: [...AGENCIES] },
      { kind: 'safety-walk', invitedParties: [] },
      ...(['open', 'restricted'] as const).flatMap((sensitivity) =>
        [[], [...AGENCIES]].map((sharedWith) => ({
          kind: 'situation-report' as const,
          reportingAgency: 'police' as const,
          sensitivity,
          sharedWith,
        })),
      ),
      {
        kind: 'prevention-talk',
        participants: AGENCIES.map((agency) => ({ agency, role: 'officer' as const })),
      },
      { kind: 'audit-trail', actorAgency: 'police' },
      { kind: 'read-access-log', readerAgency: 'police' },
    ];
    const shared = resources.filter((r) =>
      topicsFor('hammaro', r).includes(sharedTopic('hammaro')),
    );
    expect(shared).toEqual([{ kind: 'citizen-promise' }]);
    for (const r of shared) {
      expect(AGENCIES.every((a) => mayReceiveFeed(a, r))).toBe(true);
      expect(isRestricted(r)).toBe(false);
      expect(topicsFor('hammaro', r)).toEqual([sharedTopic('hammaro')]);
    }
    // And every agency system reads the shared topic.
    for (const agency of AGENCIES)
      expect(agencyTopics('hammaro', agency)[0]).toBe(sharedTopic('hammaro'));
  });

  it('given an open report, then the partners receive it, and not the housing company', () => {
    const [topics] = topicsOf([
      {
        streamId: 'situation-report-r',
        type: 'SituationReported',
        data: { reportingAgency: 'school', ...report('open', []) },
      },
    ]);
    expect(topics).toEqual(events(...PARTNER_AGENCIES));
    expect(topics).not.toContain(agencyTopic('hammaro', 'housing-company', false));
  });

  it('given a restricted report, then only the reporter and those it named receive it and its retraction, on restricted topics', () => {
    expect(
      topicsOf([
        {
          streamId: 'situation-report-r',
          type: 'SituationReported',
          data: { reportingAgency: 'school', ...report('restricted', ['police']) },
        },
        {
          streamId: 'situation-report-r',
          type: 'SituationReportRetracted',
          data: { reason: 'fel' },
        },
      ]),
    ).toEqual([restricted('police', 'school'), restricted('police', 'school')]);
  });

  it('given a correction that makes an open report restricted, then it and what follows go only to the named agencies', () => {
    expect(
      topicsOf([
        {
          streamId: 'situation-report-r',
          type: 'SituationReported',
          data: { reportingAgency: 'leisure', ...report('open', []) },
        },
        {
          streamId: 'situation-report-r',
          type: 'SituationReportCorrected',
          data: report('restricted', ['social-services']),
        },
        { streamId: 'situation-report-r', type: 'SituationReportRetracted', data: {} },
      ]).slice(1),
    ).toEqual([restricted('leisure', 'social-services'), restricted('leisure', 'social-services')]);
  });

  it('given a prevention talk, then only the agencies taking part receive it, also when fewer take part than planned', () => {
    const planned = [
      { agency: 'social-services', role: 'social-worker' },
      { agency: 'police', role: 'officer' },
    ];
    expect(
      topicsOf([
        {
          streamId: 'prevention-talk-t',
          type: 'PreventionTalkPlanned',
          data: { participants: planned },
        },
        { streamId: 'prevention-talk-t', type: 'ConsentRecorded', data: {} },
        {
          streamId: 'prevention-talk-t',
          type: 'PreventionTalkHeld',
          data: { participants: planned.slice(0, 1) },
        },
        { streamId: 'prevention-talk-t', type: 'PreventionTalkFollowedUp', data: {} },
      ]),
    ).toEqual(Array.from({ length: 4 }, () => restricted('police', 'social-services')));
  });

  it('given a talk leisure takes part in, then its system receives it on samverkan.<p>.leisure.restricted; given one without leisure, then not', () => {
    const withLeisure = [
      { agency: 'police', role: 'officer' },
      { agency: 'social-services', role: 'social-worker' },
      { agency: 'leisure', role: 'youth-worker' },
    ];
    const [planned, consent] = topicsOf([
      {
        streamId: 'prevention-talk-t',
        type: 'PreventionTalkPlanned',
        data: { participants: withLeisure, legalGround: { basis: 'consent' } },
      },
      { streamId: 'prevention-talk-t', type: 'ConsentRecorded', data: {} },
    ]);
    expect(planned).toEqual(restricted('leisure', 'police', 'social-services'));
    expect(planned).toContain('samverkan.hammaro.leisure.restricted');
    expect(consent).toEqual(planned);
    const [without] = topicsOf([
      {
        streamId: 'prevention-talk-u',
        type: 'PreventionTalkPlanned',
        data: { participants: withLeisure.slice(0, 2) },
      },
    ]);
    expect(without).not.toContain('samverkan.hammaro.leisure.restricted');
  });

  it('given a change of participants, then the new list receives the change and what follows; an agency taken off receives nothing more', () => {
    const talk = 'prevention-talk-c';
    expect(
      topicsOf([
        {
          streamId: talk,
          type: 'PreventionTalkPlanned',
          data: {
            participants: [
              { agency: 'police', role: 'officer' },
              { agency: 'social-services', role: 'social-worker' },
              { agency: 'school', role: 'student-health' },
            ],
          },
        },
        {
          streamId: talk,
          type: 'PreventionTalkParticipantsChanged',
          data: {
            participants: [
              { agency: 'police', role: 'officer' },
              { agency: 'social-services', role: 'social-worker' },
              { agency: 'leisure', role: 'youth-worker' },
            ],
            reason: 'Fritidsgården i stället för elevhälsan',
          },
        },
        { streamId: talk, type: 'ConsentRecorded', data: {} },
        {
          streamId: talk,
          type: 'PreventionTalkHeld',
          data: {
            participants: [
              { agency: 'police', role: 'officer' },
              { agency: 'social-services', role: 'social-worker' },
            ],
          },
        },
      ]),
    ).toEqual([
      restricted('police', 'school', 'social-services'),
      ...Array.from({ length: 3 }, () => restricted('leisure', 'police', 'social-services')),
    ]);
  });

  it('given a safety walk, then the partners and the invited parties receive it', () => {
    const [topics] = topicsOf([
      {
        streamId: 'safety-walk-w',
        type: 'SafetyWalkPlanned',
        data: { invitedParties: ['housing-company'] },
      },
    ]);
    expect(topics).toEqual(events(...PARTNER_AGENCIES, 'housing-company'));
  });

  it('given a finding outside a walk, then the partners, its reporter and every party it was given to receive it and its follow-up', () => {
    const topics = topicsOf([
      {
        streamId: 'finding-f',
        type: 'FindingReported',
        data: { reportingAgency: 'housing-company', responsibleParty: 'housing-company' },
      },
      {
        streamId: 'finding-f',
        type: 'FindingReassigned',
        data: { responsibleParty: 'rescue-service' },
      },
      { streamId: 'finding-f', type: 'FindingAddressed', data: {} },
    ]);
    expect(topics[0]).toEqual(events(...PARTNER_AGENCIES, 'housing-company'));
    // The housing company handed it on and still hears what became of it.
    expect(topics[1]).toEqual(events(...PARTNER_AGENCIES, 'housing-company', 'rescue-service'));
    expect(topics[2]).toEqual(topics[1]);
  });

  it('given the places register, then it goes once to the shared topic; given EST counts, then to the partners only', () => {
    expect(topicsOf([{ streamId: 'places-hammaro', type: 'PlaceRegistered', data: {} }])).toEqual([
      [sharedTopic('hammaro')],
    ]);
    for (const streamId of ['est-reporters-hammaro', 'est-place-lillangshamnen']) {
      expect(topicsOf([{ streamId, type: 'EstCountsReported', data: {} }])).toEqual([
        events(...PARTNER_AGENCIES),
      ]);
    }
  });

  it('given a credit, then it goes where its work goes: a talk credit only to the talk’s agencies, restricted', () => {
    const talk = {
      streamId: 'prevention-talk-t',
      type: 'PreventionTalkPlanned',
      data: {
        participants: [
          { agency: 'police', role: 'officer' },
          { agency: 'social-services', role: 'social-worker' },
        ],
      },
    };
    const [, credit] = topicsOf([
      talk,
      { streamId: 'prevention-talk-t', type: 'CommitmentCredited', data: { promiseId: 'p' } },
    ]);
    expect(credit).toEqual(restricted('police', 'social-services'));
  });

  it('given an erasure of personal data, then every agency’s events topic receives it (it names events, never a person), not the shared one', () => {
    expect(
      topicsOf([
        {
          streamId: 'personal-data-erasure-e1',
          type: 'PersonalDataErased',
          data: { erasureId: 'e1', scope: 'records', eventIds: ['x'], reason: null },
        },
      ]),
    ).toEqual([events(...AGENCIES)]);
  });

  it('tells the claim check both audiences of an event: where it was sent, and where its stream goes now', () => {
    const stream = [
      {
        eventId: 'e1',
        streamId: 'prevention-talk-t',
        type: 'PreventionTalkPlanned',
        data: {
          participants: [
            { agency: 'police', role: 'officer' },
            { agency: 'school', role: 'student-health' },
          ],
        },
      },
      {
        eventId: 'e2',
        streamId: 'prevention-talk-t',
        type: 'PreventionTalkParticipantsChanged',
        data: { participants: [{ agency: 'police', role: 'officer' }] },
      },
    ];
    const audiences = audiencesOfEvent(stream, 'e1');
    expect(audiences?.atEvent).toMatchObject({ participants: [{}, { agency: 'school' }] });
    expect(audiences?.now).toEqual({
      kind: 'prevention-talk',
      participants: [{ agency: 'police', role: 'officer' }],
    });
    expect(audiencesOfEvent(stream, 'e3')).toBeUndefined();
  });

  it('knows the streams whose kind alone decides the audience, and only those', () => {
    expect(fixedAudience('citizen-promise-p')).toEqual({ kind: 'citizen-promise' });
    expect(fixedAudience('personal-data-erasure-e1')).toEqual({ kind: 'personal-data-erasure' });
    for (const streamId of [
      'situation-report-r',
      'prevention-talk-t',
      'safety-walk-w',
      'finding-f',
    ]) {
      expect(fixedAudience(streamId)).toBeUndefined();
    }
  });

  it('given the read-access log, a correction of no report, or an unknown stream, then no one receives it', () => {
    expect(
      topicsOf([
        { streamId: 'read-access-2026-11-25', type: 'RestrictedDataRead', data: {} },
      ]).concat(
        topicsOf([
          {
            streamId: 'situation-report-x',
            type: 'SituationReportCorrected',
            data: report('open', []),
          },
        ]),
        topicsOf([{ streamId: 'something-else', type: 'Whatever', data: {} }]),
      ),
    ).toEqual([[], [], []]);
  });

  it('a situation report reaches an agency system exactly when a user of that agency may read it in the API', () => {
    for (const sensitivity of ['open', 'restricted'] as const) {
      for (const reportingAgency of PARTNER_AGENCIES) {
        const resource = {
          kind: 'situation-report' as const,
          reportingAgency,
          sensitivity,
          sharedWith: ['police' as const],
        };
        const topics = topicsFor('hammaro', resource);
        for (const agency of AGENCIES) {
          const viaApi = mayRead({ userId: 'u', agency, role: 'officer' }, resource).allowed;
          expect([
            agency,
            topics.includes(agencyTopic('hammaro', agency, sensitivity === 'restricted')),
          ]).toEqual([agency, viaApi]);
        }
      }
    }
  });
});
