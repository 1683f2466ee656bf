import { SamverkanError } from '@samverkan/shared/errors';

/**
 * What a refusal means, so every edge (HTTP, CLI, Kafka) maps it the same way:
 * - rejected: the command breaks a rule of the domain (an activity dated outside the period);
 * - conflict: the stream's state does not allow it now (a second signature by one signatory);
 * - forbidden: this actor's agency or role may not do it;
 * - not_found: the thing the command is about does not exist.
 */
export type RefusalKind = 'rejected' | 'conflict' | 'forbidden' | 'not_found';

/** A command refused by a decider or the access policy, with a stable code and a reason. */
export class DomainError extends SamverkanError {
  constructor(
    readonly kind: RefusalKind,
    code: string,
    reason: string,
  ) {
    super(code, reason);
  }
}

export const rejected = (code: string, reason: string): DomainError =>
  new DomainError('rejected', code, reason);
export const conflict = (code: string, reason: string): DomainError =>
  new DomainError('conflict', code, reason);
export const forbidden = (code: string, reason: string): DomainError =>
  new DomainError('forbidden', code, reason);
export const notFound = (code: string, reason: string): DomainError =>
  new DomainError('not_found', code, reason);
