import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@samverkan/domain/actor';
import { CurrentActor } from './current-actor.decorator';

@ApiTags('auth')
@ApiBearerAuth('bearer')
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'Who the credentials say you are: user, agency and role' })
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
