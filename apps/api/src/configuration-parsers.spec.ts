import { SETTINGS, settingNames } from '@samverkan/shared/configuration/settings';
import {
  problemLine,
  validateConfiguration,
} from '@samverkan/shared/configuration/validate-configuration';
import { API_PARSERS } from './configuration-parsers';

describe("the API's start-up check", () => {
  it('has a parser for every structured variable the API reads', () => {
    const structured = settingNames().filter(
      (name) =>
        SETTINGS[name].kind === 'structured' &&
        (SETTINGS[name].readBy as readonly string[]).includes('api'),
    );
    expect(structured.filter((name) => !(name in API_PARSERS))).toEqual([]);
  });

  it("reports each structured variable that its owner's parser refuses, with the rest", () => {
    const problems = validateConfiguration(
      {
        SAMVERKAN_API_KEYS: `kommun-system:bakery:${'a'.repeat(64)}`,
        SAMVERKAN_OIDC_ISSUERS: '[{"id": "kommun"',
        SAMVERKAN_MASTER_KEYS: 'k1:c2hvcnQ=',
        SAMVERKAN_SEAL_KEY: 'not-a-key',
        SAMVERKAN_SEAL_PUBLIC_KEYS: 'not-a-key',
        SAMVERKAN_MAP_TILE_URL: 'http://tiles.example.se/{z}/{x}/{y}.png',
        SAMVERKAN_SESSION_HOURS: '0',
      },
      'api',
      API_PARSERS,
    ).map(problemLine);
    expect(problems).toEqual([
      "SAMVERKAN_MASTER_KEYS: entry 1 ('k1') holds 5 bytes; a master key is 32 bytes (openssl rand -base64 32)",
      'SAMVERKAN_SEAL_KEY: is not an Ed25519 private key (PKCS#8 PEM or base64 DER)',
      'SAMVERKAN_SEAL_PUBLIC_KEYS: entry 1 is not an Ed25519 public key (base64 SPKI DER)',
      'SAMVERKAN_MAP_TILE_URL: must be an https URL (or "none" for no tiles)',
      'SAMVERKAN_OIDC_ISSUERS: must be a JSON list of issuers',
      "SAMVERKAN_SESSION_HOURS: must be an integer from 1 to 168, got '0'",
      "SAMVERKAN_API_KEYS: entry 1: unknown agency 'bakery'",
    ]);
  });
});
