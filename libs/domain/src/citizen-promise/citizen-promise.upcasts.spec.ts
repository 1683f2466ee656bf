import { CITIZEN_PROMISE_UPCASTS } from './citizen-promise.upcasts';

const upcast = (type: string, data: Record<string, unknown>): Record<string, unknown> => {
  const step = CITIZEN_PROMISE_UPCASTS.find((u) => u.type === type && u.fromVersion === 1);
  if (!step) throw new Error(`no upcast of ${type} from version 1`);
  return step.upcast(data);
};

/** An activity as version 1 wrote it: its place in free text. */
const v1Activity = {
  activityId: 'a-1',
  commitmentId: 'police-office',
  kind: 'mobile-police-office',
  date: '2023-05-14',
  place: 'Skoghall centrum',
  agenciesPresent: ['police'],
  outcome: 'På plats',
  figures: { peopleReached: 23 },
};

describe('citizen promise upcasts: activities from before the places register', () => {
  it('given a version-1 activity at a known place, then version 2 names the register’s place, the rest unchanged', () => {
    const { place: _place, ...rest } = v1Activity;
    expect(upcast('CommitmentActivityRecorded', v1Activity)).toEqual({
      ...rest,
      placeIds: ['skoghall-centrum'],
    });
  });

  it('given a text naming two places, then both', () => {
    expect(
      upcast('CommitmentActivityRecorded', {
        ...v1Activity,
        place: 'Mörmoskolan och Hammarö arena',
      }),
    ).toMatchObject({ placeIds: ['mormoskolan', 'hammaro-arena'] });
  });

  it('given a place no alias matches, then no ids and the text kept as an unresolved place', () => {
    const data = upcast('CommitmentActivityRecorded', { ...v1Activity, place: 'Vid gamla macken' });
    expect(data).toMatchObject({ placeIds: [], unresolvedPlace: 'Vid gamla macken' });
    expect(data).not.toHaveProperty('place');
  });

  it('given a version-1 correction, then it is upcast the same way, its reason kept', () => {
    const { activityId, kind, date, agenciesPresent, outcome, figures } = v1Activity;
    const v1 = {
      activityId,
      reason: 'Fel plats',
      kind,
      date,
      place: 'Lillängshamnen (gästhamn)',
      agenciesPresent,
      outcome,
      figures,
    };
    expect(upcast('CommitmentActivityCorrected', v1)).toEqual({
      activityId,
      reason: 'Fel plats',
      kind,
      date,
      placeIds: ['lillangshamnen'],
      agenciesPresent,
      outcome,
      figures,
    });
  });
});
