/**
 * "Här känner jag mig otrygg": a resident names a registered place and why it feels unsafe,
 * from a fixed list. No free text, so nothing a resident writes can name a person; no position,
 * so no home is ever stored; nothing about the sender. (Imports nothing: the web page uses it.)
 */
export const UNSAFE_CATEGORIES = [
  'poor-lighting',
  'vandalism',
  'disorder',
  'drugs',
  'traffic',
  'threats-violence',
  'other',
] as const;
export type UnsafeCategory = (typeof UNSAFE_CATEGORIES)[number];

export function isUnsafeCategory(value: unknown): value is UnsafeCategory {
  return typeof value === 'string' && (UNSAFE_CATEGORIES as readonly string[]).includes(value);
}
