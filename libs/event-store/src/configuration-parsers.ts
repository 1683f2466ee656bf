import {
  exitOnConfigurationProblems,
  type StructuredParsers,
} from '@samverkan/shared/configuration/validate-configuration';
import { MasterKeyRing } from './protection/master-keys';
import { erasureLedgerFromEnv } from './protection/erasure-ledger-config';
import { retiredSealKeysOf, sealKeyOf } from './tamper-evidence/seal-keys';

/** The store's keys, checked at start by the parsers that read them afterwards. */
export const STORE_PARSERS: StructuredParsers = {
  SAMVERKAN_MASTER_KEYS: (value) => MasterKeyRing.parse(value),
  SAMVERKAN_SEAL_KEY: (value) => sealKeyOf(value),
  SAMVERKAN_SEAL_PUBLIC_KEYS: (value) => retiredSealKeysOf(value),
  SAMVERKAN_ERASURE_LEDGER: (value) =>
    erasureLedgerFromEnv({ adapter: 'postgres' }, { SAMVERKAN_ERASURE_LEDGER: value }),
};

/**
 * For an operator command that opens the store: every configuration problem on stderr, one
 * line each, then exit 1 before the store opens (warnings on stderr too).
 */
export const exitOnCliConfigurationProblems = (): void =>
  exitOnConfigurationProblems('cli', STORE_PARSERS, (line) => process.stderr.write(`${line}\n`));
