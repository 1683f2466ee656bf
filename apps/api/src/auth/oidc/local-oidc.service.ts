import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AGENCIES } from '@samverkan/domain/agencies/agencies';
import { dataDirSetting, publicUrl } from '@samverkan/shared/configuration/common-settings';
import { choiceSetting } from '@samverkan/shared/configuration/read-setting';
import type { NextFunction, Request, Response } from 'express';
import { DEMO_USERS } from '../../seed/demo-users';
import { samverkanEnvironment } from '../environment';
import { identityKey } from '../token-secret';
import { createLocalProvider, type LocalProvider } from './local-provider';
import { RelyingParty } from './relying-party';

export const LOCAL_ISSUER_ID = 'utveckling';
/** A confidential client for code flows and one for client-credentials (an agency system). */
export const LOCAL_CLIENT_ID = 'samverkan-dev';
export const LOCAL_SYSTEM_CLIENT_ID = 'samverkan-dev-system';

/** SAMVERKAN_LOCAL_OIDC: on by default in development; refused in production. */
export function localProviderEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = choiceSetting(env, 'SAMVERKAN_LOCAL_OIDC');
  if (samverkanEnvironment(env) === 'production') {
    if (value === 'on') {
      throw new Error('SAMVERKAN_LOCAL_OIDC=on is refused in production: use a real provider');
    }
    return false;
  }
  return value !== 'off';
}

/** A secret of the local provider, derived from the identity key so restarts agree. */
export const localSecretFor = (purpose: string): string =>
  createHmac('sha256', identityKey()).update(`local-oidc\n${purpose}`).digest('base64url');

/**
 * The development sign-in: a real OpenID provider (oidc-provider) at /oidc with the seed's demo
 * users, so sign-in works out of the box and tests sign in as production does. Its demo
 * subjects are the seed's pseudonymous user ids (for any other subject and provider a user id
 * is a keyed hash of issuer and subject); they are linked when they first sign in.
 */
@Injectable()
export class LocalOidcProvider implements OnModuleInit {
  private readonly logger = new Logger('LocalOidc');
  private provider: LocalProvider | undefined;
  readonly enabled = localProviderEnabled();
  readonly issuer = `${publicUrl()}/oidc`;

  constructor(private readonly relyingParty: RelyingParty) {}

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const base = publicUrl();
    const demoIds = new Set(DEMO_USERS.map((u) => u.actor.userId));
    this.provider = await createLocalProvider({
      issuer: this.issuer,
      clients: [
        {
          clientId: LOCAL_CLIENT_ID,
          clientSecret: localSecretFor('client'),
          redirectUris: [`${base}/api/auth/callback`],
          postLogoutRedirectUris: [`${base}/`],
        },
        {
          clientId: LOCAL_SYSTEM_CLIENT_ID,
          clientSecret: localSecretFor('system-client'),
          redirectUris: [],
          postLogoutRedirectUris: [],
          grantTypes: ['client_credentials'],
        },
      ],
      accounts: DEMO_USERS.map((u) => ({
        subject: u.actor.userId,
        displayName: u.displayName,
        description: u.description,
      })),
      keysFile: join(dataDirSetting(), 'oidc-dev-keys.json'),
      cookieSecret: localSecretFor('cookies'),
    });
    this.relyingParty.trust({
      id: LOCAL_ISSUER_ID,
      name: 'Utvecklingsinloggning (demoanvändare)',
      issuer: this.issuer,
      clientId: LOCAL_CLIENT_ID,
      clientSecret: localSecretFor('client'),
      agencies: AGENCIES,
      presetUserId: (subject) => (demoIds.has(subject) ? subject : undefined),
    });
    this.logger.log(`Development sign-in at ${this.issuer} with ${DEMO_USERS.length} demo users`);
  }

  /** Express middleware for the /oidc mount: the provider, or nothing when it does not run. */
  handle(request: Request, response: Response, next: NextFunction): void {
    if (this.provider) this.provider.handler(request, response);
    else next();
  }

  rotateSigningKey(): Promise<void> {
    if (!this.provider) throw new Error('The local provider does not run');
    return this.provider.rotateSigningKey();
  }
}
