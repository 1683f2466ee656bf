import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { forbidden, rejected } from '@samverkan/domain/domain-error';
import { SIGN_IN_STORE, type SignInStore } from '@samverkan/event-store/sign-in.port';
import { IsString, Length } from 'class-validator';
import type { Request, Response } from 'express';
import { Authenticator } from './authenticator';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { subjectDigest, userIdFor } from './identities';
import { publicUrl } from '@samverkan/shared/configuration/common-settings';
import { RelyingParty } from './oidc/relying-party';
import { describeCaller } from './me.controller';
import { AllowPending, Public } from './public.decorator';
import {
  clearSessionCookie,
  cookieOf,
  newSecret,
  sessionDigest,
  sessionIdOf,
  setSessionCookie,
} from './sessions';
import { identityKey } from './token-secret';
import { UnauthenticatedError } from './unauthenticated.error';
import { UserRegister } from './user-register';

/** A code flow started and not finished within this long is void. */
const FLOW_SECONDS = 10 * 60;
const FLOW_COOKIE = 'samverkan_signin';

export class SwitchRoleDto {
  @IsString()
  @Length(1, 60)
  role!: string;
}

/** Only a path of this service: never an open redirect to another site. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The public URL's origin when a request came to the same service under another loopback name
 * (development: `127.0.0.1:3000` against `localhost:3000`); undefined otherwise. Only loopback
 * names: behind a proxy the Host header may be an internal name, and a redirect there would loop.
 */
export function otherLoopbackAddress(
  host: string | undefined,
  publicBase: string,
): string | undefined {
  if (!host) return undefined;
  const wanted = new URL(publicBase);
  let asked: URL;
  try {
    asked = new URL(`${wanted.protocol}//${host}`);
  } catch {
    return undefined;
  }
  if (asked.host === wanted.host) return undefined;
  if (!LOOPBACK.has(asked.hostname) || !LOOPBACK.has(wanted.hostname)) return undefined;
  if (asked.port !== wanted.port) return undefined;
  return wanted.origin;
}

function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

/**
 * Sign-in through the partnership's identity providers (OpenID Connect, authorization code
 * with PKCE), the browser session it opens, the role a user acts in, and sign-out.
 */
@ApiTags('auth')
@Controller('auth')
export class SignInController {
  private readonly key = identityKey();

  constructor(
    private readonly relyingParty: RelyingParty,
    private readonly authenticator: Authenticator,
    private readonly register: UserRegister,
    @Inject(SIGN_IN_STORE) private readonly signIn: SignInStore,
  ) {}

  @Public()
  @Get('providers')
  @ApiOperation({ summary: 'The identity providers one may sign in with, and their agencies' })
  providers(): { id: string; name: string; agencies: readonly string[]; signIn: string }[] {
    return this.relyingParty.list().map((i) => ({
      id: i.id,
      name: i.name,
      agencies: i.agencies,
      signIn: `/api/auth/login?provider=${encodeURIComponent(i.id)}`,
    }));
  }

  @Public()
  @Get('login')
  @ApiOperation({ summary: 'Starts sign-in at a provider: a redirect to it (code flow, PKCE)' })
  async login(
    @Query('provider') provider: string | undefined,
    @Query('returnTo') returnTo: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const onPublicAddress = otherLoopbackAddress(req.headers.host, publicUrl());
    if (onPublicAddress) {
      // Opened at 127.0.0.1 while the service calls itself localhost (or the other way round):
      // the provider returns to the public address, where this browser's flow cookie must be.
      res.redirect(303, `${onPublicAddress}${req.originalUrl}`);
      return;
    }
    const issuers = this.relyingParty.list();
    const issuer = provider
      ? this.relyingParty.byId(provider)
      : issuers.length === 1
        ? issuers[0]
        : undefined;
    if (!issuer) {
      throw rejected(
        'AUTH.UNKNOWN_PROVIDER',
        `Choose a provider: ${issuers.map((i) => i.id).join(', ') || 'none is configured'}`,
      );
    }
    const started = await this.relyingParty.start(issuer);
    // The flow is bound to this browser: a callback carrying a state started elsewhere (an
    // attacker's own sign-in, to make the victim act as the attacker) is refused.
    res.cookie(FLOW_COOKIE, started.state, {
      httpOnly: true,
      secure: this.authenticator.sessionSettings.secure,
      sameSite: 'lax',
      path: '/api/auth/callback',
      maxAge: FLOW_SECONDS * 1000,
    });
    await this.signIn.saveLoginFlow(started.state, {
      issuerId: issuer.id,
      codeVerifier: started.codeVerifier,
      nonce: started.nonce,
      returnTo: safeReturnPath(returnTo),
    });
    res.redirect(303, started.url);
  }

  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'Where the provider returns: opens the session, then back to the app' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const state = typeof req.query['state'] === 'string' ? req.query['state'] : '';
    const started = cookieOf(req, FLOW_COOKIE);
    res.clearCookie(FLOW_COOKIE, { path: '/api/auth/callback' });
    if (!state || started !== state) {
      throw new UnauthenticatedError('This sign-in was not started in this browser; start again');
    }
    const flow = await this.signIn.takeLoginFlow(state, FLOW_SECONDS);
    if (!flow) throw new UnauthenticatedError('This sign-in is unknown or too old; start again');
    const issuer = this.relyingParty.byId(flow.issuerId);
    if (!issuer) throw new UnauthenticatedError('The provider of this sign-in is not trusted');
    const callbackUrl = new URL(req.originalUrl, publicUrl());
    const vouched = await this.relyingParty.complete(issuer, callbackUrl, { ...flow, state });
    const { userId } = await this.signIn.linkIdentity({
      issuer: issuer.issuer,
      subjectDigest: subjectDigest(this.key, issuer.issuer, vouched.subject),
      userId:
        issuer.presetUserId?.(vouched.subject) ??
        userIdFor(this.key, issuer.issuer, vouched.subject),
      displayName: vouched.displayName,
    });
    const user = await this.register.rolesOf(userId);
    if (user && !issuer.agencies.includes(user.agency)) {
      throw new UnauthenticatedError(`${issuer.name} may not vouch for users of ${user.agency}`);
    }
    const settings = this.authenticator.sessionSettings;
    // A session the browser had before is ended: the new sign-in gets a new id (no fixation).
    const previous = sessionIdOf(req, settings);
    if (previous) await this.signIn.endSession(sessionDigest(previous));
    const now = new Date();
    const id = newSecret();
    await this.signIn.createSession(sessionDigest(id), {
      userId,
      issuer: issuer.id,
      activeRole: user?.roles[0] ?? null,
      csrfToken: newSecret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + settings.absoluteSeconds * 1000),
    });
    setSessionCookie(res, settings, id);
    res.redirect(303, flow.returnTo);
  }

  @AllowPending()
  @Get('session')
  @ApiOperation({
    summary: 'The signed-in user, their roles, the active one, and the CSRF token for changes',
  })
  async session(@Req() req: AuthenticatedRequest) {
    const caller = req.caller!;
    const { role, ...who } = await describeCaller(caller, this.signIn);
    return { ...who, activeRole: role, csrfToken: caller.session?.csrfToken ?? null };
  }

  @AllowPending()
  @Post('session/role')
  @HttpCode(200)
  @ApiOperation({ summary: 'Act in another of your roles for the rest of this session' })
  async switchRole(@Req() req: AuthenticatedRequest, @Body() body: SwitchRoleDto) {
    const caller = req.caller!;
    if (!caller.session) {
      throw rejected('AUTH.NOT_A_SESSION', 'Only a browser session has an active role to switch');
    }
    if (!caller.roles.includes(body.role as (typeof caller.roles)[number])) {
      throw forbidden('AUTH.ROLE_NOT_HELD', `You do not hold the role ${body.role}`);
    }
    await this.signIn.setActiveRole(caller.session.digest, body.role);
    return { activeRole: body.role };
  }

  @AllowPending()
  @Post('logout')
  @HttpCode(200)
  @ApiOperation({
    summary: "Signs out: ends the session and gives the provider's end-session URL to go to",
  })
  async logout(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ signedOut: true; endSessionUrl: string | null }> {
    const session = req.caller?.session;
    clearSessionCookie(res, this.authenticator.sessionSettings);
    if (!session) return { signedOut: true, endSessionUrl: null };
    const ended = await this.signIn.endSession(session.digest);
    const issuer = this.relyingParty.byId(session.issuer);
    const endSessionUrl =
      issuer && ended
        ? await this.relyingParty.endSessionUrl(issuer, `${publicUrl()}/`)
        : undefined;
    return { signedOut: true, endSessionUrl: endSessionUrl ?? null };
  }
}
