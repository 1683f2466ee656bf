import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import {
  SECURITY_LOG,
  type SecurityLog,
  type SecurityLogEntry,
  type SecurityLogKind,
} from '@samverkan/event-store/security-log.port';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';

const KINDS: readonly SecurityLogKind[] = ['authentication-failed', 'refused', 'rate-limited'];

@ApiTags('health')
@ApiBearerAuth('bearer')
@Controller('security-log')
export class SecurityLogController {
  constructor(@Inject(SECURITY_LOG) private readonly log: SecurityLog) {}

  @Get()
  @ApiOperation({
    summary:
      'Failed sign-ins, refused and rate-limited requests, newest first (the operator role): route template, code, caller when known, a digest of the client address that changes daily',
  })
  @ApiQuery({ name: 'kind', required: false, enum: KINDS })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  recent(
    @Req() req: AuthenticatedRequest,
    @Query('kind') kind?: string,
    @Query('limit') limit?: string,
  ): Promise<(SecurityLogEntry & { at: Date })[]> {
    assertMayRead(req.actor!, { kind: 'security-log' });
    const problems: InvalidField[] = [];
    if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
      problems.push({ path: 'query kind', reason: `must be one of ${KINDS.join(', ')}` });
    }
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      problems.push({ path: 'query limit', reason: 'must be a whole number from 1 to 1000' });
    }
    if (problems.length) throw new InvalidInputError('REQUEST.INVALID', problems);
    return this.log.recent(n, kind as SecurityLogKind | undefined);
  }
}
