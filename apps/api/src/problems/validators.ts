import { isLocalDate } from '@samverkan/domain/calendar';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A calendar date YYYY-MM-DD that exists (no 2024-02-30). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a date YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => isLocalDate(value) },
    });
}

/** An id chosen by the client: lower-case letters, digits and dashes. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
export const SLUG_MESSAGE = '$property must be 1 to 80 lower-case letters, digits or dashes';

/** Figures of an activity: names to whole numbers of 0 or more, at most 30 of them. */
export function IsFigures(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isFigures',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must map up to 30 names (camelCase) to whole numbers of 0 or more',
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 30 &&
          Object.entries(value).every(
            ([k, v]) =>
              /^[a-z][A-Za-z0-9]{0,40}$/.test(k) && Number.isSafeInteger(v) && (v as number) >= 0,
          ),
      },
    });
}
