import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '@samverkan/shared/errors';
import { SLUG } from './validators';

/** Ids in paths are slugs (or UUIDs, which are slugs too); anything else is a 400, not a 404. */
@Injectable()
export class SlugPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!SLUG.test(value)) {
      throw new InvalidInputError('REQUEST.INVALID', [
        {
          path: metadata.data ?? 'path',
          reason: 'must be 1 to 80 lower-case letters, digits or dashes',
        },
      ]);
    }
    return value;
  }
}
