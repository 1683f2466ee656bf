import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, isSettingName, settingNames, settingOf, type Setting } from './settings';

/**
 * The README's Configuration table and the settings, held to each other both ways: a variable
 * the processes check is documented, and a documented variable is checked.
 */

interface Row {
  readonly names: readonly string[];
  /** One default per name when the cell is only code spans (`600`, `120`, `60`); else none. */
  readonly defaults: readonly string[] | undefined;
}

const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/**
 * A row may name several variables; `…_READ_ACCESS_LOG_YEARS` after
 * `SAMVERKAN_RETENTION_PREVENTION_TALKS_YEARS` keeps the first name's first two words.
 */
function expand(names: readonly string[]): string[] {
  const first = names[0] ?? '';
  const stem = first.split('_').slice(0, 2).join('_');
  return names.map((name) => (name.startsWith('…') ? `${stem}${name.slice(1)}` : name));
}

function configurationTable(readme: string): Row[] {
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no Configuration section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // the header and its rule
    .map((line) => {
      const [variables = '', fallback = ''] = line.split('|').slice(1, 3);
      const names = expand(codeSpans(variables));
      const spans = codeSpans(fallback);
      const plain = fallback.replace(/`[^`]*`/g, '').replace(/[\s,]/g, '') === '';
      return { names, defaults: plain && spans.length === names.length ? spans : undefined };
    });
}

const rows = configurationTable(readFileSync(join(__dirname, '../../../../README.md'), 'utf8'));
const documented = rows.flatMap((row) => row.names);

describe("the README's Configuration table", () => {
  it('is read: rows with one name, several names and abbreviated names', () => {
    expect(documented).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'SAMVERKAN_RATE_LIMIT_WINDOW',
        'SAMVERKAN_RETENTION_READ_ACCESS_LOG_YEARS',
      ]),
    );
    expect(rows.length).toBeGreaterThan(40);
  });

  it('documents every variable the processes check', () => {
    const missing = settingNames().filter((name) => !documented.includes(name));
    expect(missing).toEqual([]);
  });

  it('documents only variables the processes check, each once', () => {
    expect(documented.filter((name) => !isSettingName(name))).toEqual([]);
    expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
  });

  it('states the defaults the settings have', () => {
    const disagreements = rows.flatMap(({ names, defaults }) =>
      defaults === undefined
        ? []
        : names.flatMap((name, i) => {
            if (!isSettingName(name)) return [];
            const setting: Setting = SETTINGS[name];
            const own = setting.default ?? setting.derivedDefault;
            return own === defaults[i] ? [] : [`${name}: README ${defaults[i]}, settings ${own}`];
          }),
    );
    expect(disagreements).toEqual([]);
  });

  it('states plainly every default the settings apply', () => {
    const claimed = rows
      .filter((row) => row.defaults === undefined)
      .flatMap((row) => row.names)
      .filter((name) => isSettingName(name) && settingOf(name).default !== undefined);
    expect(claimed).toEqual([]);
  });
});
