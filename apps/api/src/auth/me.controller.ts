import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SIGN_IN_STORE, type SignInStore } from '@samverkan/event-store/sign-in.port';
import type { Caller } from './authenticator';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { AllowPending } from './public.decorator';

/** Who the caller is, as `/me` and `/auth/session` both answer: the display name from sign-in. */
export async function describeCaller(caller: Caller, signIn: SignInStore) {
  const names = await signIn.displayNames([caller.userId]);
  return {
    userId: caller.userId,
    displayName: names.get(caller.userId) ?? null,
    agency: caller.agency,
    role: caller.actor?.role ?? null,
    roles: caller.roles,
    pending: caller.roles.length === 0,
  };
}

@ApiTags('auth')
@ApiBearerAuth('bearer')
@Controller('me')
export class MeController {
  constructor(@Inject(SIGN_IN_STORE) private readonly signIn: SignInStore) {}

  @AllowPending()
  @Get()
  @ApiOperation({
    summary: 'Who you are: user id, display name, agency, roles and the role you act in now',
  })
  async me(@Req() req: AuthenticatedRequest) {
    const caller = req.caller!;
    return { ...(await describeCaller(caller, this.signIn)), via: caller.via };
  }
}
