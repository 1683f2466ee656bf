import * as administration from './administration';
import * as app from './app';
import * as audit from './audit';
import * as citizenDialogue from './citizen-dialogue';
import * as places from './places';
import * as promise from './promise';
import * as record from './record';
import * as report from './report';
import * as residents from './residents';
import * as situation from './situation';
import * as start from './start';
import * as talks from './talks';
import * as walks from './walks';

/**
 * The word files are merged into one dictionary: a key in two files would let the later one
 * silently win, and a placeholder missing in one language shows as "{count}" on screen.
 */
const files: Record<string, { sv: Record<string, string>; en: Record<string, string> }> = {
  administration,
  app,
  audit,
  citizenDialogue,
  places,
  promise,
  record,
  report,
  residents,
  situation,
  start,
  talks,
  walks,
};

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the words of the web app', () => {
  it('names each key in one file only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [file, words] of Object.entries(files)) {
      for (const key of Object.keys(words.sv)) {
        if (seen.has(key)) twice.push(`${key} in ${seen.get(key)} and ${file}`);
        seen.set(key, file);
      }
    }
    expect(twice).toEqual([]);
  });

  it('has every word in both languages, with the same placeholders', () => {
    const differing: string[] = [];
    for (const words of Object.values(files)) {
      expect(Object.keys(words.en).sort()).toEqual(Object.keys(words.sv).sort());
      for (const [key, text] of Object.entries(words.sv)) {
        const english = words.en[key] ?? '';
        if (!text.trim() || !english.trim()) differing.push(`${key}: empty`);
        if (placeholders(text).join() !== placeholders(english).join()) differing.push(key);
      }
    }
    expect(differing).toEqual([]);
  });
});
