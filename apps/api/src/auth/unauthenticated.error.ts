import { SamverkanError } from '@samverkan/shared/errors';

/** No valid credentials: answered 401 with a WWW-Authenticate challenge. */
export class UnauthenticatedError extends SamverkanError {
  readonly kind = 'unauthenticated' as const;

  constructor(reason: string) {
    super('AUTH.UNAUTHENTICATED', reason);
  }
}
