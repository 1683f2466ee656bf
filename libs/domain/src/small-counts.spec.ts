import fc from 'fast-check';
import { blurredCount, shownCount } from './small-counts';

describe('small counts: 1 to 4 could point at a person, so shared views show them blurred', () => {
  it('given 1 to 4, then "fewer than 5"; given 0 or 5 and more, then the number', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 120].map(blurredCount)).toEqual([
      0,
      'fewer than 5',
      'fewer than 5',
      'fewer than 5',
      'fewer than 5',
      5,
      6,
      120,
    ]);
  });

  it('given exact precision, then every count as it is; given blurred, then 1 to 4 blurred', () => {
    expect(shownCount(3, 'exact')).toBe(3);
    expect(shownCount(3, 'blurred')).toBe('fewer than 5');
    expect(shownCount(0, 'blurred')).toBe(0);
    expect(shownCount(5, 'blurred')).toBe(5);
  });

  it('for any count, a blurred count is either the count itself or hides one from 1 to 4', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        const shown = blurredCount(n);
        if (shown === 'fewer than 5') expect(n >= 1 && n <= 4).toBe(true);
        else expect(shown).toBe(n);
      }),
    );
  });
});
