import {
  SETTINGS,
  type ChoiceOf,
  type ChoiceSettingName,
  type IntegerSettingName,
  type Setting,
  type SettingName,
  type TextSettingName,
} from './settings';

/** A variable whose value breaks its rule; the message names the variable, never a secret. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * The variable's value, or undefined when it is unset or blank. Trimmed, except a secret text
 * (a password or key), which is taken as written: trimming would change it.
 */
export function rawSetting(env: NodeJS.ProcessEnv, name: SettingName): string | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const setting: Setting = SETTINGS[name];
  return setting.kind === 'text' && setting.secret ? value : value.trim();
}

const shown = (setting: Setting, value: string): string =>
  setting.secret ? '' : `, got '${value}'`;

/**
 * What is wrong with a value under its variable's own rule, or undefined when it holds. A
 * structured value's owner parses it (validateConfiguration runs those parsers).
 */
export function ruleBroken(setting: Setting, value: string): string | undefined {
  switch (setting.kind) {
    case 'integer': {
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(n) && n >= setting.min && n <= setting.max
        ? undefined
        : `must be an integer from ${setting.min} to ${setting.max}${shown(setting, value)}`;
    }
    case 'choice':
      return setting.values.includes(value)
        ? undefined
        : `must be one of ${setting.values.join(', ')}${shown(setting, value)}`;
    case 'url': {
      if (setting.noneAllowed && value === 'none') return undefined;
      const scheme = /^([a-z][a-z0-9+.-]*):\/\/[^/?#\s]/i.exec(value)?.[1]?.toLowerCase();
      // Only web URLs go through URL(): an EventStoreDB cluster names several hosts in one.
      const parses = !(scheme === 'http' || scheme === 'https') || URL.canParse(value);
      if (scheme && setting.schemes.includes(scheme) && parses) return undefined;
      const schemes = setting.schemes.map((s) => `${s}://`).join(' or ');
      return `must be a URL (${schemes}) such as ${setting.example}${setting.noneAllowed ? ", or 'none'" : ''}${shown(setting, value)}`;
    }
    case 'text':
      if (setting.minLength !== undefined && value.length < setting.minLength) {
        return `must be at least ${setting.minLength} characters, got ${value.length}`;
      }
      if (setting.pattern && !setting.pattern.regex.test(value)) {
        return `must be ${setting.pattern.description}${shown(setting, value)}`;
      }
      return undefined;
    case 'structured':
      return undefined;
    default: {
      const unknown: never = setting;
      throw new Error(`Unknown setting kind ${JSON.stringify(unknown)}`);
    }
  }
}

/** The value (or the default) after its rule; a broken rule throws, naming the variable. */
function checked(env: NodeJS.ProcessEnv, name: SettingName): string | undefined {
  const setting: Setting = SETTINGS[name];
  const value = rawSetting(env, name);
  if (value === undefined) return setting.default;
  const broken = ruleBroken(setting, value);
  if (broken) throw new ConfigurationError(`${name}: ${broken}`);
  return value;
}

/** An integer variable, or its default. */
export function integerSetting(env: NodeJS.ProcessEnv, name: IntegerSettingName): number {
  const value = checked(env, name);
  if (value === undefined) throw new ConfigurationError(`${name}: is not set`);
  return Number(value);
}

/** An integer variable without a default (a port to open only when asked): undefined if unset. */
export function optionalIntegerSetting(
  env: NodeJS.ProcessEnv,
  name: IntegerSettingName,
): number | undefined {
  const value = checked(env, name);
  return value === undefined ? undefined : Number(value);
}

/** A choice, or its default; undefined when the default follows from other variables. */
export function choiceSetting<N extends ChoiceSettingName>(
  env: NodeJS.ProcessEnv,
  name: N,
): ChoiceOf<N> | undefined {
  return checked(env, name) as ChoiceOf<N> | undefined;
}

/** A text variable with a default of its own: the value, or that default. */
export function textSettingOrDefault(env: NodeJS.ProcessEnv, name: TextSettingName): string {
  const value = checked(env, name);
  if (value === undefined) throw new ConfigurationError(`${name}: is not set`);
  return value;
}

/** A text, URL or structured variable as written (or its default), after its rule. */
export function textSetting(env: NodeJS.ProcessEnv, name: TextSettingName): string | undefined {
  return checked(env, name);
}
