import { rawSetting, ruleBroken } from './read-setting';
import {
  SETTINGS,
  isSettingName,
  settingNames,
  type ConfiguredProcess,
  type Setting,
  type SettingName,
  type StructuredSettingName,
} from './settings';

/** One variable that stops a process from starting, and why (never a secret's value). */
export interface ConfigurationProblem {
  readonly variable: SettingName;
  readonly message: string;
}

/**
 * The parsers of a process's structured variables (keys, JSON lists, agency users), which live
 * with the code that uses them: each is given the set value and throws when it does not parse.
 */
export type StructuredParsers = Partial<
  Record<StructuredSettingName, (value: string, env: NodeJS.ProcessEnv) => unknown>
>;

export const problemLine = (problem: ConfigurationProblem): string =>
  `${problem.variable}: ${problem.message}`;

const isSet = (env: NodeJS.ProcessEnv, name: SettingName): boolean =>
  rawSetting(env, name) !== undefined;

/** A parser's error as a message about its variable: its own leading name is dropped. */
function parserMessage(name: SettingName, setting: Setting, value: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // A parser that quotes what it was given must not leak a secret through this report.
  if (setting.secret && text.includes(value))
    return `is not ${setting.kind === 'structured' ? setting.format : 'valid'}`;
  return text.startsWith(name) ? text.slice(name.length).replace(/^[:\s]+/, '') : text;
}

/**
 * Every problem with the variables `process` reads, all at once, so an operator fixes them in
 * one round: each variable against its rule, the structured ones through their parsers, then
 * the rules between variables. An empty list: the process may start.
 */
export function validateConfiguration(
  env: NodeJS.ProcessEnv,
  process: ConfiguredProcess,
  parsers: StructuredParsers = {},
): ConfigurationProblem[] {
  const reads = (name: SettingName): boolean =>
    (SETTINGS[name].readBy as readonly ConfiguredProcess[]).includes(process);
  const problems: ConfigurationProblem[] = [];
  const problem = (variable: SettingName, message: string): void => {
    if (!problems.some((p) => p.variable === variable)) problems.push({ variable, message });
  };

  for (const name of settingNames().filter(reads)) {
    const setting: Setting = SETTINGS[name];
    const value = rawSetting(env, name);
    if (value === undefined) continue;
    if (setting.kind === 'structured') {
      const parse = parsers[name as StructuredSettingName];
      if (!parse) throw new Error(`No parser for ${name} in the ${process} process`);
      try {
        parse(value, env);
      } catch (error) {
        problem(name, parserMessage(name, setting, value, error));
      }
      continue;
    }
    const broken = ruleBroken(setting, value);
    if (broken) problem(name, broken);
  }

  for (const { variable, message } of crossRules(env, process)) {
    if (reads(variable)) problem(variable, message);
  }
  return problems;
}

/**
 * The rules between variables. Production follows SAMVERKAN_ENV, or DATABASE_URL when that is
 * unset or wrong (as samverkanEnvironment decides), so a server left unconfigured fails closed.
 */
function crossRules(env: NodeJS.ProcessEnv, process: ConfiguredProcess): ConfigurationProblem[] {
  const found: ConfigurationProblem[] = [];
  const rule = (broken: boolean, variable: SettingName, message: string): void => {
    if (broken) found.push({ variable, message });
  };
  const database = isSet(env, 'DATABASE_URL');
  const stated = rawSetting(env, 'SAMVERKAN_ENV');
  const production = stated === 'production' || (stated !== 'development' && database);

  rule(
    isSet(env, 'DATABASE_OWNER_URL') && !database,
    'DATABASE_OWNER_URL',
    'only with DATABASE_URL: it names the owner of the PostgreSQL log that DATABASE_URL uses',
  );
  rule(
    isSet(env, 'EVENTSTOREDB_URL') && !database,
    'EVENTSTOREDB_URL',
    'needs DATABASE_URL too (the read models and checkpoints stay on PostgreSQL)',
  );
  rule(
    production && !isSet(env, 'SAMVERKAN_MASTER_KEYS'),
    'SAMVERKAN_MASTER_KEYS',
    "required in production: 'id:base64' entries of 32 bytes (npm run keys -- new-master-key k1)",
  );
  rule(
    production && process === 'api' && !isSet(env, 'SAMVERKAN_SEAL_KEY'),
    'SAMVERKAN_SEAL_KEY',
    'required in production: the key that signs the sealed blocks (npm run audit -- new-seal-key)',
  );
  rule(
    production && rawSetting(env, 'SAMVERKAN_LOCAL_OIDC') === 'on',
    'SAMVERKAN_LOCAL_OIDC',
    'on is refused in production: people sign in through SAMVERKAN_OIDC_ISSUERS',
  );
  rule(
    database && !isSet(env, 'SAMVERKAN_IDENTITY_KEY'),
    'SAMVERKAN_IDENTITY_KEY',
    'required with DATABASE_URL (a shared server): a key of 32 characters or more',
  );
  rule(
    database && !production && !isSet(env, 'SAMVERKAN_JWT_SECRET'),
    'SAMVERKAN_JWT_SECRET',
    'required in development with DATABASE_URL: a key of 32 characters or more',
  );
  rule(
    isSet(env, 'KAFKA_USERNAME') !== isSet(env, 'KAFKA_PASSWORD'),
    isSet(env, 'KAFKA_USERNAME') ? 'KAFKA_PASSWORD' : 'KAFKA_USERNAME',
    'KAFKA_USERNAME and KAFKA_PASSWORD go together',
  );
  rule(
    isSet(env, 'KAFKA_ADMIN_USERNAME') !== isSet(env, 'KAFKA_ADMIN_PASSWORD'),
    isSet(env, 'KAFKA_ADMIN_USERNAME') ? 'KAFKA_ADMIN_PASSWORD' : 'KAFKA_ADMIN_USERNAME',
    'KAFKA_ADMIN_USERNAME and KAFKA_ADMIN_PASSWORD go together',
  );
  rule(
    process === 'relay' && !isSet(env, 'KAFKA_BROKERS'),
    'KAFKA_BROKERS',
    'required by apps/relay: host:port of Kafka',
  );
  return found;
}

/**
 * Variables named like the platform's that it does not read: most likely a misspelling
 * (SAMVERKAN_RATE_LIMT), which would otherwise leave the default in force without a word.
 */
export const unknownSettings = (env: NodeJS.ProcessEnv): string[] =>
  Object.keys(env).filter((name) => name.startsWith('SAMVERKAN_') && !isSettingName(name));

/**
 * For a process's start: every problem as its own error line, then exit with status 1 before
 * anything opens; an unknown SAMVERKAN_ variable is a warning. Called first in each app's main
 * and in the CLIs that open the store.
 */
export function exitOnConfigurationProblems(
  process: ConfiguredProcess,
  parsers: StructuredParsers,
  log: (line: string, level: 'error' | 'warn') => void,
  env: NodeJS.ProcessEnv = globalThis.process.env,
): void {
  for (const name of unknownSettings(env)) {
    log(`${name}: not a variable Samverkan reads (misspelt?); ignored`, 'warn');
  }
  const problems = validateConfiguration(env, process, parsers);
  if (problems.length === 0) return;
  for (const problem of problems) log(problemLine(problem), 'error');
  globalThis.process.exit(1);
}
