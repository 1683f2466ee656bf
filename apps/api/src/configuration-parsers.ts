import { STORE_PARSERS } from '@samverkan/event-store/configuration-parsers';
import type { StructuredParsers } from '@samverkan/shared/configuration/validate-configuration';
import { parseApiKeys } from './auth/api-keys';
import { trustedIssuersFromEnv } from './auth/oidc/issuers';
import { webAppSettings } from './web/web-app';

/** The API's structured variables, checked at start by the parsers that read them afterwards. */
export const API_PARSERS: StructuredParsers = {
  ...STORE_PARSERS,
  // The whole environment: an issuer may name the variable that holds its client secret.
  SAMVERKAN_OIDC_ISSUERS: (_value, env) => trustedIssuersFromEnv(env),
  SAMVERKAN_API_KEYS: (value) => parseApiKeys(value),
  SAMVERKAN_MAP_TILE_URL: (value) => webAppSettings({ SAMVERKAN_MAP_TILE_URL: value }),
};
