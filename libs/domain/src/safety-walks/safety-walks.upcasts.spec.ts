import { SAFETY_WALK_UPCASTS } from './safety-walks.upcasts';

const upcast = (type: string, data: Record<string, unknown>): Record<string, unknown> => {
  const step = SAFETY_WALK_UPCASTS.find((u) => u.type === type && u.fromVersion === 1);
  if (!step) throw new Error(`no upcast of ${type} from version 1`);
  return step.upcast(data);
};

const v1Planned = {
  walkId: 'skoghall-2021',
  area: 'Skoghall centrum',
  route: ['Skoghall centrum', 'Gång- och cykelvägen mot Lillängshamnen', 'Lillängshamnen'],
  plannedOn: '2021-09-01',
  invitedParties: ['rescue-service', 'housing-company'],
};

describe('safety walk upcasts: walks from before the places register', () => {
  it('given a version-1 walk whose area and route all match, then their ids, in route order, and nothing unresolved', () => {
    const data = upcast('SafetyWalkPlanned', v1Planned);
    expect(data).toEqual({
      walkId: 'skoghall-2021',
      areaId: 'skoghall-centrum',
      route: ['skoghall-centrum', 'gc-vagen-lillangshamnen', 'lillangshamnen'],
      plannedOn: '2021-09-01',
      invitedParties: ['rescue-service', 'housing-company'],
    });
    expect(data).not.toHaveProperty('unresolvedPlaces');
  });

  it('given route texts that match nothing, then they are left out of the route and kept as unresolved', () => {
    expect(
      upcast('SafetyWalkPlanned', {
        ...v1Planned,
        route: ['Skoghall centrum och Lillängshamnen', 'Stigen bakom förskolan', 'Mörmoskolan'],
      }),
    ).toMatchObject({
      areaId: 'skoghall-centrum',
      route: ['skoghall-centrum', 'lillangshamnen', 'mormoskolan'],
      unresolvedPlaces: ['Stigen bakom förskolan'],
    });
  });

  it('given an area that matches nothing, then no area id and the area’s text kept first among the unresolved', () => {
    expect(
      upcast('SafetyWalkPlanned', {
        ...v1Planned,
        area: 'Hammarlunden med förskolorna',
        route: ['Hammarlundens skola', 'Förskolan Solen'],
      }),
    ).toMatchObject({
      areaId: null,
      route: ['hammarlundens-skola'],
      unresolvedPlaces: ['Hammarlunden med förskolorna', 'Förskolan Solen'],
    });
  });

  it('given a version-1 conducted walk, then each finding names places of the register, or keeps its text', () => {
    const data = upcast('SafetyWalkConducted', {
      conductedOn: '2021-09-01',
      participants: ['municipality', 'police'],
      residentsTakingPart: 12,
      findings: [
        {
          findingId: 'f-1',
          place: 'Gång- och cykelvägen mot Lillängshamnen',
          kind: 'poor-lighting',
          description: 'Trasiga lampor',
          responsibleParty: 'municipality',
        },
        {
          findingId: 'f-2',
          place: 'Garaget vid panncentralen',
          kind: 'vandalism',
          description: 'Klotter',
          responsibleParty: 'housing-company',
        },
      ],
    });
    expect(data).toEqual({
      conductedOn: '2021-09-01',
      participants: ['municipality', 'police'],
      residentsTakingPart: 12,
      findings: [
        {
          findingId: 'f-1',
          placeIds: ['gc-vagen-lillangshamnen'],
          kind: 'poor-lighting',
          description: 'Trasiga lampor',
          responsibleParty: 'municipality',
        },
        {
          findingId: 'f-2',
          placeIds: [],
          unresolvedPlace: 'Garaget vid panncentralen',
          kind: 'vandalism',
          description: 'Klotter',
          responsibleParty: 'housing-company',
        },
      ],
    });
  });
});
