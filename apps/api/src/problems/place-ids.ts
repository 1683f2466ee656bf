import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, Matches } from 'class-validator';
import { SLUG } from './validators';

/** One or more places of the register, by id (GET /places lists them). */
export function PlaceIds(example: string[] = ['skoghall-centrum']): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: [String],
      example,
      description: 'Ids of places in the places register (GET /places); unknown ids are refused',
    }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(20),
    ArrayUnique(),
    Matches(SLUG, { each: true, message: '$property must hold place ids (GET /places)' }),
  );
}
