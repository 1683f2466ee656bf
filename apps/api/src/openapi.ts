import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { choiceSetting } from '@samverkan/shared/configuration/read-setting';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details, with the stable code of the refusal',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:samverkan:problem:PROMISE.ACTIVITY_OUTSIDE_PERIOD' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', example: 'PROMISE.ACTIVITY_OUTSIDE_PERIOD' },
    errors: {
      type: 'array',
      description: '400: each invalid field',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    currentRevision: {
      type: 'integer',
      nullable: true,
      description: '409 on a stale revision: where the stream is now',
    },
  },
} as const;

const PROBLEMS: Record<string, string> = {
  '400': 'Invalid input; nothing was stored',
  '401': 'No valid token or API key',
  '403': 'Your agency or role may not do this',
  '404': 'Not found',
  '409': 'The stream moved on (If-Match) or its state does not allow this',
  '422': 'The command breaks a rule of the partnership',
};

/** Every operation answers its errors as problem details; the document says so once, here. */
function withProblems(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never },
  };
  const ref = { $ref: '#/components/schemas/Problem' };
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/health')) continue;
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      operation.security ??= [{ bearer: [] }, { 'api-key': [] }];
      for (const [status, description] of Object.entries(PROBLEMS)) {
        if (operation.responses[status]) continue;
        if (status === '422' && !item.post) continue;
        operation.responses[status] = {
          description,
          content: { 'application/problem+json': { schema: ref } },
        };
      }
    }
  }
  return document;
}

/**
 * OpenAPI document and its browsable page at /docs (JSON at /docs-json). `SAMVERKAN_OPENAPI=off`
 * leaves them out, for deployments that publish the document elsewhere.
 */
export function mountOpenApi(app: INestApplication, env: NodeJS.ProcessEnv = process.env): void {
  if (choiceSetting(env, 'SAMVERKAN_OPENAPI') === 'off') return;
  const config = new DocumentBuilder()
    .setTitle('Samverkan API')
    .setDescription(
      'Event-sourced collaboration for local crime-prevention partnerships: police, social services, schools and leisure services. Writes accept Idempotency-Key and If-Match; every write answers with the stream revision and global position it produced.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'ApiKey <key> (agency systems)',
      },
      'api-key',
    )
    .build();
  SwaggerModule.setup('api/docs', app, () =>
    withProblems(SwaggerModule.createDocument(app, config)),
  );
}
