import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@samverkan/domain/actor';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { forbidden, notFound } from '@samverkan/domain/domain-error';
import { assertNoDirectIdentifier } from '@samverkan/domain/personal-data';
import { SIGN_IN_STORE, type SignInStore } from '@samverkan/event-store/sign-in.port';
import { IsString, Matches, MaxLength } from 'class-validator';
import { hashApiKey } from '../auth/api-keys';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { RelyingParty } from '../auth/oidc/relying-party';
import { UserRegister } from '../auth/user-register';
import { SLUG, SLUG_MESSAGE } from '../problems/validators';

export class IssueApiKeyDto {
  @ApiProperty({ example: 'polisens-arendesystem' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  systemId!: string;
  @ApiProperty({ example: 'Polisens ärendesystem, lägesbildsintegration' })
  @IsString()
  @MaxLength(200)
  label!: string;
}

/** Administers users of one's own agency: the user administrator; the coordinator for all. */
function administeredAgencies(actor: Actor): readonly AgencyCode[] {
  if (actor.role === 'safety-coordinator') return AGENCIES;
  if (actor.role === 'user-administrator') return [actor.agency];
  throw forbidden(
    'AGENCIES.NOT_USER_ADMINISTRATOR',
    "Only a user administrator sees and administers their agency's users",
  );
}

function assertUserAdministrator(actor: Actor): void {
  if (actor.role !== 'user-administrator') {
    throw forbidden(
      'AGENCIES.NOT_USER_ADMINISTRATOR',
      "Only a user administrator issues and revokes their agency's API keys",
    );
  }
}

/**
 * The user administration of an agency: its users with their display names, who signed in
 * through a provider that vouches for it and waits for a role (pending), and its systems' API
 * keys. Display names come from the sign-in table, never from the log.
 */
@ApiTags('partnership and agencies')
@ApiBearerAuth('bearer')
@Controller('partnership')
export class UserAdministrationController {
  constructor(
    private readonly register: UserRegister,
    private readonly relyingParty: RelyingParty,
    @Inject(SIGN_IN_STORE) private readonly signIn: SignInStore,
  ) {}

  @Get('users')
  @ApiOperation({
    summary: "Your agency's users and roles, and those who signed in and wait for a role",
  })
  async users(@Req() req: AuthenticatedRequest) {
    const actor = req.actor!;
    const agencies = administeredAgencies(actor);
    const granted = (await Promise.all(agencies.map((a) => this.register.usersOf(a)))).flatMap(
      (users, i) => users.map((u) => ({ ...u, agency: agencies[i]! })),
    );
    // The coordinator appoints each agency's first user administrator and the partnership
    // auditors: they see those, not every agency's users.
    const shown =
      actor.role === 'safety-coordinator'
        ? granted.filter(
            (u) =>
              u.roles.includes('user-administrator') || u.roles.includes('partnership-auditor'),
          )
        : granted;
    const grantedIds = new Set(granted.map((u) => u.userId));
    const state = await this.register.current();
    const anyGranted = new Set(state.status === 'formed' ? state.users.keys() : []);
    const issuers = [
      ...new Set(agencies.flatMap((a) => this.relyingParty.issuersFor(a).map((i) => i.issuer))),
    ];
    const pending = (await this.signIn.identitiesFrom(issuers)).filter(
      (i) => !anyGranted.has(i.userId),
    );
    const names = await this.signIn.displayNames([...grantedIds]);
    return {
      users: shown.map((u) => ({ ...u, displayName: names.get(u.userId) ?? null })),
      pending: pending.map((p) => ({
        userId: p.userId,
        displayName: p.displayName,
        provider: this.relyingParty.byIssuerUrl(p.issuer)?.name ?? null,
        firstSeen: p.firstSeen.toISOString(),
        lastSeen: p.lastSeen.toISOString(),
      })),
    };
  }

  @Get('api-keys')
  @ApiOperation({ summary: "Your agency's API keys (never the keys themselves)" })
  async apiKeys(@Req() req: AuthenticatedRequest) {
    assertUserAdministrator(req.actor!);
    return (await this.signIn.apiKeysOf(req.actor!.agency)).map((k) => ({
      keyId: k.keyId,
      systemId: k.systemId,
      label: k.label,
      issuedAt: k.issuedAt.toISOString(),
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
  }

  @Post('api-keys')
  @ApiOperation({
    summary:
      "Issues an API key for one of your agency's systems: shown once, only its hash is kept",
  })
  async issueApiKey(@Req() req: AuthenticatedRequest, @Body() body: IssueApiKeyDto) {
    const actor = req.actor!;
    assertUserAdministrator(actor);
    assertNoDirectIdentifier('label', body.label);
    const keyId = `k-${randomBytes(9).toString('base64url')}`;
    const key = `svk_${randomBytes(32).toString('base64url')}`;
    const issuedAt = new Date();
    await this.signIn.issueApiKey(hashApiKey(key), {
      keyId,
      agency: actor.agency,
      systemId: body.systemId,
      label: body.label,
      issuedBy: actor.userId,
      issuedAt,
    });
    return { keyId, key, systemId: body.systemId, agency: actor.agency, issuedAt };
  }

  @Post('api-keys/:keyId/revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revokes an API key of your agency: refused from the next request' })
  async revokeApiKey(@Req() req: AuthenticatedRequest, @Param('keyId') keyId: string) {
    const actor = req.actor!;
    assertUserAdministrator(actor);
    if (!(await this.signIn.revokeApiKey(keyId, actor.agency, actor.userId, new Date()))) {
      throw notFound('AGENCIES.API_KEY_NOT_FOUND', `Your agency has no API key ${keyId} in use`);
    }
    return { keyId, revoked: true };
  }
}
