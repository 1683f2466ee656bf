import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import type { VerificationReport } from '@samverkan/event-store/tamper-evidence/sql-log-verifier';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { LogAudit } from './log-audit';

@ApiTags('audit trail')
@ApiBearerAuth('bearer')
@Controller('audit')
export class LogVerificationController {
  constructor(private readonly audit: LogAudit) {}

  @Get('verification')
  @ApiOperation({
    summary:
      'Checks the log: every stream chain and every sealed block (operator, partnership auditor). Answers whether all holds, how many events were checked and how fast, and the first event whose content, order or presence does not match',
  })
  verification(@Req() req: AuthenticatedRequest): Promise<VerificationReport> {
    assertMayRead(req.actor!, { kind: 'log-verification' });
    return this.audit.verify();
  }
}
