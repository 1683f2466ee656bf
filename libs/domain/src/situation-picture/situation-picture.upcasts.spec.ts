import { SITUATION_PICTURE_UPCASTS } from './situation-picture.upcasts';

const upcast = (type: string, data: Record<string, unknown>): Record<string, unknown> => {
  const step = SITUATION_PICTURE_UPCASTS.find((u) => u.type === type && u.fromVersion === 1);
  if (!step) throw new Error(`no upcast of ${type} from version 1`);
  return step.upcast(data);
};

/** A report as version 1 wrote it: an area and maybe a place, in free text. */
const v1 = {
  reportId: 'r-1',
  reportingAgency: 'police',
  area: 'Skoghall centrum',
  place: 'Lillängshamnen',
  problemArea: 'vandalism-burglary',
  period: { from: '2023-05-01', to: '2023-05-31' },
  trend: 'rising',
  severity: 'medium',
  description: 'Skadegörelse på båtar',
  source: 'incident-reports',
  sensitivity: 'open',
  sharedWith: [],
};
const { area: _area, place: _place, ...rest } = v1;

describe('situation picture upcasts: reports from before the places register', () => {
  it('given a version-1 report with an area and a place that matches, then the place, the more precise of the two', () => {
    expect(upcast('SituationReported', v1)).toEqual({ ...rest, placeIds: ['lillangshamnen'] });
  });

  it('given a report with only an area, then the area', () => {
    const { place: _p, ...areaOnly } = v1;
    expect(upcast('SituationReported', areaOnly)).toEqual({
      ...rest,
      placeIds: ['skoghall-centrum'],
    });
  });

  it('given a place that matches nothing, then the area places the report and the place’s text is kept', () => {
    expect(upcast('SituationReported', { ...v1, place: 'Bryggan vid kiosken' })).toEqual({
      ...rest,
      placeIds: ['skoghall-centrum'],
      unresolvedPlace: 'Bryggan vid kiosken',
    });
  });

  it('given an area and a place that both match nothing, then no ids, and both texts are kept', () => {
    const data = upcast('SituationReported', {
      ...v1,
      area: 'Skoghall västra',
      place: 'Bryggan vid kiosken',
    });
    expect(data).toMatchObject({ placeIds: [] });
    expect(data.unresolvedPlace).toContain('Bryggan vid kiosken');
    expect(data.unresolvedPlace).toContain('Skoghall västra');
  });

  it('given only an area that matches nothing, then its text is kept', () => {
    const { place: _p, ...areaOnly } = v1;
    expect(upcast('SituationReported', { ...areaOnly, area: 'Skoghall västra' })).toEqual({
      ...rest,
      placeIds: [],
      unresolvedPlace: 'Skoghall västra',
    });
  });

  it('given a version-1 correction, then it is upcast the same way, its reason kept', () => {
    const { reportId: _r, reportingAgency: _a, ...v1Details } = v1;
    const { reportId: _r2, reportingAgency: _a2, ...details } = rest;
    expect(upcast('SituationReportCorrected', { reason: 'Fel plats', ...v1Details })).toEqual({
      reason: 'Fel plats',
      ...details,
      placeIds: ['lillangshamnen'],
    });
  });
});
