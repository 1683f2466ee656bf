import { resolveLegacyPlace } from './place-aliases';

describe('place aliases: free-text places from before the register, read as its ids', () => {
  it('given a text of the alias table, then its place ids', () => {
    expect(resolveLegacyPlace('Skoghall centrum')).toEqual({ placeIds: ['skoghall-centrum'] });
    expect(resolveLegacyPlace('Bymiljövägen (Karlstadsvägen), Skoghall')).toEqual({
      placeIds: ['bymiljovagen'],
    });
  });

  it('given a text naming two places, then both ids, in the order written', () => {
    expect(resolveLegacyPlace('Mörmoskolan och Hammarö arena')).toEqual({
      placeIds: ['mormoskolan', 'hammaro-arena'],
    });
    expect(resolveLegacyPlace('Skoghall centrum och Lillängshamnen')).toEqual({
      placeIds: ['skoghall-centrum', 'lillangshamnen'],
    });
  });

  it('given a known text in other case or spacing, then it resolves as the register compares names', () => {
    expect(resolveLegacyPlace('  LILLÄNGSHAMNEN ')).toEqual({ placeIds: ['lillangshamnen'] });
    expect(resolveLegacyPlace('skoghall   centrum')).toEqual({ placeIds: ['skoghall-centrum'] });
  });

  it('given a text that matches no place, then no ids and the text kept as written (never dropped)', () => {
    expect(resolveLegacyPlace('Lekplatsen vid Skogsvägen ')).toEqual({
      placeIds: [],
      unresolvedPlace: 'Lekplatsen vid Skogsvägen ',
    });
  });

  it('given a resolved text, then the ids are a copy: changing them leaves the table as it was', () => {
    const first = resolveLegacyPlace('Skoghall centrum och Lillängshamnen');
    first.placeIds.push('tampered');
    expect(resolveLegacyPlace('Skoghall centrum och Lillängshamnen').placeIds).toEqual([
      'skoghall-centrum',
      'lillangshamnen',
    ]);
  });
});
