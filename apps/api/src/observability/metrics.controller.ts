import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import { METRICS_REGISTRY } from '@samverkan/shared/metrics/metrics-registry';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';

@ApiTags('health')
@ApiBearerAuth('bearer')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @ApiOperation({
    summary:
      'Prometheus metrics (the operator role): appends and their latency, conflicts, projection and relay lag, relay outages, requests by route template and status, the process',
  })
  @ApiProduces('text/plain')
  async metrics(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    // Route names, rates and lag describe the service to an attacker: the operator's only.
    assertMayRead(req.actor!, { kind: 'service-metrics' });
    const text = await this.registry.metrics();
    res.setHeader('Cache-Control', 'no-store');
    res.type(this.registry.contentType).send(text);
  }
}
