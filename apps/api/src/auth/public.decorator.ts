import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'samverkan:public';
export const ALLOWS_PENDING = 'samverkan:allows-pending';

/** The route answers without credentials (health checks, the OpenAPI document). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The route answers a signed-in user who holds no role yet (who am I, sign out): everything
 * else waits until their agency's user administrator grants one.
 */
export const AllowPending = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWS_PENDING, true);
