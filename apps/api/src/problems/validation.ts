import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';

function flatten(errors: readonly ValidationError[], prefix: string, out: InvalidField[]): void {
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    for (const reason of Object.values(error.constraints ?? {})) out.push({ path, reason });
    if (error.children?.length) flatten(error.children, path, out);
  }
}

/**
 * Every input is validated at the edge: unknown fields are refused (the actor comes from the
 * token, never from a body), and a 400 names each invalid field. Nothing reaches a handler.
 */
export function requestValidation(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields: InvalidField[] = [];
      flatten(errors, '', fields);
      return new InvalidInputError('REQUEST.INVALID', fields);
    },
  });
}
