import { isUuid, uuidv7 } from './ids';

describe('uuidv7', () => {
  it('makes valid version-7 UUIDs that carry their time and sort by it', () => {
    const a = uuidv7(Date.UTC(2024, 9, 1));
    const b = uuidv7(Date.UTC(2024, 9, 1, 0, 0, 1));
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(a[19]);
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2024, 9, 1));
    expect(a < b).toBe(true);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(0)));
    expect(ids.size).toBe(10_000);
  });
});
