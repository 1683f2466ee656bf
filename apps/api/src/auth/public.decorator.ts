import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'samverkan:public';

/** The route answers without credentials (health checks, the OpenAPI document). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
