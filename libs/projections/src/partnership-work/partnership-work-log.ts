import { currentSchemaVersion } from '@samverkan/domain/event-schemas';
import type {
  Actor,
  EventStore,
  JsonObject,
  NewEvent,
} from '@samverkan/event-store/event-store.port';

const coordinator: Actor = {
  userId: 'trygghet.1',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const housing: Actor = { userId: 'bostad.1', agency: 'housing-company', role: 'property-manager' };
const socialWorker: Actor = {
  userId: 'soc.1',
  agency: 'social-services',
  role: 'social-worker',
};
const places = ['skoghall-centrum', 'lillangshamnen', 'hammarlundens-skola', 'mormon'] as const;
const kinds = ['poor-lighting', 'overgrown-vegetation', 'vandalism', 'littering'] as const;
/** The n-th of a list, going round. */
const nth = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** The shape writers use today, unless a test wants an old one (then upcast as it is read). */
const current = (type: string, data: JsonObject): NewEvent => ({
  type,
  data,
  schemaVersion: currentSchemaVersion(type),
});

const counts = (n: number) => ({
  vandalism: n % 3,
  'gathering-places': n % 5,
  'unsafe-places': 1,
  'threats-to-staff': 0,
  rumours: n % 2,
  littering: 2,
  fires: 0,
});

/**
 * The partnership's work in miniature, for tests of the partnership-work read model: safety
 * walks (one from before the places register), their findings reassigned and addressed,
 * findings reported outside walks, prevention talks planned, changed, held and closed (one
 * planned before talks stated a legal ground), EST reporters assigned and unassigned and
 * weekly counts, some corrected. Deterministic. Returns the position of the last event.
 */
export async function appendPartnershipWorkLog(
  store: EventStore,
  options: { walks: number; findings: number; talks: number; estWeeks: number; prefix?: string },
): Promise<number> {
  const p = options.prefix ?? '';
  let last = 0;
  const append = async (streamId: string, events: NewEvent[], actor: Actor) => {
    const r = await store.append(streamId, events, { expectedRevision: 'any', actor });
    last = Math.max(last, r.globalPosition);
  };
  for (let n = 0; n < options.walks; n++) {
    const walkId = `${p}walk-${n}`;
    const stream = `safety-walk-${walkId}`;
    if (n === 0) {
      // Recorded before the register: free-text places, upcast as read.
      await append(
        stream,
        [
          {
            type: 'SafetyWalkPlanned',
            data: {
              walkId,
              area: 'Skoghall centrum',
              route: ['Skoghall centrum', 'Gamla bryggan'],
              plannedOn: '2021-09-20',
              invitedParties: ['police', 'housing-company'],
            },
          },
        ],
        coordinator,
      );
    } else {
      await append(
        stream,
        [
          current('SafetyWalkPlanned', {
            walkId,
            areaId: 'skoghall-centrum',
            route: [nth(places, n), nth(places, n + 1)],
            plannedOn: `2024-0${1 + (n % 9)}-1${n % 10}`,
            invitedParties: n % 2 ? ['police', 'rescue-service'] : ['housing-company'],
          }),
        ],
        coordinator,
      );
    }
    if (n % 3 === 2) continue; // planned, not yet walked
    await append(
      stream,
      [
        current('SafetyWalkConducted', {
          conductedOn: `2024-0${1 + (n % 9)}-2${n % 10}`,
          participants: ['municipality', 'police'],
          residentsTakingPart: 5 + n,
          findings: [0, 1, 2].map((i) => ({
            findingId: `f-${i}`,
            placeIds: [nth(places, n + i)],
            kind: nth(kinds, n + i),
            description: `Fynd ${n}.${i}`,
            responsibleParty: i === 1 ? 'housing-company' : 'municipality',
          })),
        }),
      ],
      coordinator,
    );
    if (n % 2 === 0) {
      await append(
        stream,
        [
          {
            type: 'FindingReassigned',
            data: { findingId: 'f-0', responsibleParty: 'housing-company', reason: 'deras gård' },
          },
        ],
        coordinator,
      );
    }
    if (n % 4 === 1) {
      await append(
        stream,
        [
          {
            type: 'FindingAddressed',
            data: { findingId: 'f-1', addressedOn: '2024-10-01', action: 'Åtgärdat' },
          },
        ],
        housing,
      );
    }
  }
  for (let n = 0; n < options.findings; n++) {
    const findingId = `${p}finding-${n}`;
    const stream = `finding-${findingId}`;
    await append(
      stream,
      [
        {
          type: 'FindingReported',
          data: {
            findingId,
            placeIds: [nth(places, n)],
            kind: nth(kinds, n),
            description: `Rapporterat ${n}`,
            responsibleParty: 'housing-company',
            reportedOn: `2024-1${n % 3}-0${1 + (n % 9)}`,
            reportingAgency: 'housing-company',
          },
        },
      ],
      housing,
    );
    if (n % 3 === 1) {
      await append(
        stream,
        [
          {
            type: 'FindingReassigned',
            data: { findingId, responsibleParty: 'municipality', reason: 'kommunens mark' },
          },
        ],
        housing,
      );
    }
    if (n % 2 === 0) {
      await append(
        stream,
        [
          {
            type: 'FindingAddressed',
            data: { findingId, addressedOn: '2024-12-01', action: 'Lampor bytta' },
          },
        ],
        housing,
      );
    }
  }
  for (let n = 0; n < options.talks; n++) {
    const talkId = `${p}talk-${n}`;
    const stream = `prevention-talk-${talkId}`;
    const participants = [
      { agency: 'social-services', role: 'social-worker' },
      { agency: 'police', role: 'municipal-police-officer' },
      ...(n % 2 ? [] : [{ agency: 'school', role: 'student-health' }]),
    ];
    const planned = {
      talkId,
      subjectRef: `SOC-SUBJ${String(n).padStart(4, '0')}`,
      plannedFor: `2024-10-${String(1 + (n % 28)).padStart(2, '0')}`,
      participants,
      purpose: `Oro för ungdom ${n}`,
    };
    await append(
      stream,
      [
        n === 0
          ? // Planned before talks stated a ground: read as consent.
            { type: 'PreventionTalkPlanned', data: planned, schemaVersion: 1 }
          : current('PreventionTalkPlanned', {
              ...planned,
              legalGround:
                n % 2
                  ? {
                      basis: 'osl-10-18a',
                      subjectUnder21: true,
                      preventivePurpose: 'Förebygga fortsatt brottslighet',
                    }
                  : { basis: 'consent' },
            }),
      ],
      socialWorker,
    );
    if (n % 4 === 2) {
      await append(
        stream,
        [
          {
            type: 'PreventionTalkParticipantsChanged',
            data: {
              participants: participants.filter((x) => x.agency !== 'school'),
              reason: 'Skolan behövs inte',
            },
          },
        ],
        socialWorker,
      );
    }
    if (n % 3 === 0) continue; // planned only
    await append(
      stream,
      [
        {
          type: 'PreventionTalkHeld',
          data: {
            heldOn: planned.plannedFor,
            participants: [
              ...participants.filter((x) => x.agency !== 'school'),
              { agency: 'social-services', role: 'field-worker' },
            ],
            guardiansPresent: true,
            outcome: `Utfall ${n}`,
            agreedFollowUp: [
              { action: `Åtgärd ${n}`, responsibleAgency: 'social-services', dueOn: '2024-11-15' },
              { action: `Kontakt ${n}`, responsibleAgency: 'police', dueOn: '2024-12-01' },
            ],
          },
        },
      ],
      socialWorker,
    );
    if (n % 5 === 1) {
      await append(
        stream,
        [
          {
            type: 'PreventionTalkFollowedUp',
            data: { followedUpOn: '2024-12-02', notes: `Anteckning ${n}`, closed: n % 2 === 1 },
          },
        ],
        socialWorker,
      );
    }
  }
  if (options.estWeeks > 0) {
    const reporters = `est-reporters-${p}hammaro`;
    await append(
      reporters,
      places.map((placeId, i) => ({
        type: 'EstReporterAssigned',
        data: { placeId, agency: i % 2 ? 'municipal-security' : 'housing-company' },
      })),
      coordinator,
    );
    await append(
      reporters,
      [
        {
          type: 'EstReporterUnassigned',
          data: { placeId: nth(places, 3), agency: 'municipal-security', reason: 'ny rutin' },
        },
        { type: 'EstReporterAssigned', data: { placeId: nth(places, 3), agency: 'police' } },
      ],
      coordinator,
    );
  }
  for (let w = 0; w < options.estWeeks; w++) {
    const week = `2024-W${String(33 + (w % 20)).padStart(2, '0')}`;
    for (const [i, placeId] of places.entries()) {
      const reportingAgency = i % 2 ? 'municipal-security' : 'housing-company';
      const events: NewEvent[] = [
        {
          type: 'EstCountsReported',
          data: { placeId, week, reportingAgency, counts: counts(w + i) },
        },
      ];
      if ((w + i) % 4 === 0) {
        events.push({
          type: 'EstCountsCorrected',
          data: { placeId, week, reportingAgency, counts: counts(w + i + 1), reason: 'felräknat' },
        });
      }
      await append(
        `est-place-${placeId}`,
        events,
        reportingAgency === 'housing-company' ? housing : coordinator,
      );
    }
  }
  return last;
}
