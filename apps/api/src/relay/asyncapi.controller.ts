import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import asyncapi from '@samverkan/integration/asyncapi/asyncapi.json';
import { feedConfigFromEnv } from '@samverkan/integration/relay/relay-config';
import { Public } from '../auth/public.decorator';

/**
 * The feed's AsyncAPI 3 document for agency systems (topics, messages, the JSON Schema of
 * every event type). Public like /docs: it describes the contract, not the data. When Kafka is
 * configured the servers and the partnership are this installation's.
 */
@ApiTags('subscriptions')
@Controller()
export class AsyncApiController {
  private readonly served = AsyncApiController.forThisInstallation();

  private static forThisInstallation(): typeof asyncapi {
    const config = feedConfigFromEnv();
    if (!config) return asyncapi;
    const servers = Object.fromEntries(
      config.brokers.map((host, i) => [
        `broker${i + 1}`,
        {
          host,
          // kafka-secure: TLS (with SASL/SCRAM, SASL_SSL), as this installation's clients speak it.
          protocol: config.ssl ? 'kafka-secure' : 'kafka',
          description: config.ssl
            ? 'A broker of this installation, over TLS (SASL_SSL).'
            : 'A broker of this installation.',
          security: [{ $ref: '#/components/securitySchemes/scram' }],
        },
      ]),
    );
    const parameters = {
      partnershipId: {
        ...asyncapi.components.parameters.partnershipId,
        default: config.partnershipId,
        enum: [config.partnershipId],
        examples: [config.partnershipId],
      },
    };
    return {
      ...asyncapi,
      servers,
      components: { ...asyncapi.components, parameters },
    } as unknown as typeof asyncapi;
  }

  @Public()
  @Get('asyncapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary:
      "The AsyncAPI 3 document of the agencies' Kafka feed: each agency's topics, the CloudEvent envelope and the JSON Schema of every event type",
  })
  document(): typeof asyncapi {
    return this.served;
  }
}
