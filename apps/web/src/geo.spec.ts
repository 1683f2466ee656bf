import { distanceMetres, nearestPlace } from './geo';

const place = (name: string, latitude: number, longitude: number) => ({
  name,
  position: { latitude, longitude },
});

describe('the nearest registered place', () => {
  // Three places of Hammarö's register, roughly where they are.
  const skoghallCentrum = place('Skoghall centrum', 59.3236, 13.4664);
  const lillangshamnen = place('Lillängshamnen', 59.3265, 13.4807);
  const hammarlunden = place('Hammarlunden', 59.3343, 13.5187);
  const places = [skoghallCentrum, lillangshamnen, hammarlunden];

  it('measures a known distance within a metre or so (one minute of latitude is 1 852 m)', () => {
    expect(
      distanceMetres({ latitude: 59, longitude: 13 }, { latitude: 59 + 1 / 60, longitude: 13 }),
    ).toBeGreaterThan(1852);
    expect(
      distanceMetres({ latitude: 59, longitude: 13 }, { latitude: 59 + 1 / 60, longitude: 13 }),
    ).toBeLessThan(1856);
  });

  it('given a point beside one place, when the nearest is asked, then it is that place', () => {
    const near = nearestPlace(places, { latitude: 59.3262, longitude: 13.4801 });
    expect(near?.place).toBe(lillangshamnen);
    expect(near?.metres).toBeLessThan(60);
  });

  it('takes longitude shrinking with latitude into account', () => {
    // 0.01° east is about 570 m here; 0.006° north is about 670 m: east is nearer.
    const origin = place('origin', 59.33, 13.5);
    const east = place('east', 59.33, 13.51);
    const north = place('north', 59.336, 13.5);
    expect(nearestPlace([north, east], origin.position)?.place).toBe(east);
  });

  it('finds none when no place is within the distance asked, or when there are none', () => {
    expect(nearestPlace(places, { latitude: 59.9, longitude: 13.5 }, 2000)).toBeUndefined();
    expect(nearestPlace([], { latitude: 59.33, longitude: 13.5 })).toBeUndefined();
  });
});
