import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { MAX_ERASED_RECORDS, type ErasureScope } from '@samverkan/domain/personal-data/erasure';

export class ErasePersonalDataDto {
  @ApiPropertyOptional({ description: 'Made from the Idempotency-Key when not given' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  erasureId?: string;

  @ApiProperty({
    enum: ['data-subject', 'records'],
    description:
      "data-subject: everything about a young person, by their pseudonymous reference (social services' data protection officer); records: events whose free text names a person, selected by the data protection officer of the agency that wrote them",
  })
  @IsIn(['data-subject', 'records'])
  scope!: ErasureScope;

  @ApiPropertyOptional({ description: 'data-subject: the pseudonymous reference' })
  @ValidateIf((o: ErasePersonalDataDto) => o.scope === 'data-subject')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subjectRef?: string;

  @ApiPropertyOptional({ description: 'records: the ids of the events to erase', type: [String] })
  @ValidateIf((o: ErasePersonalDataDto) => o.scope === 'records')
  @IsArray()
  @ArrayMaxSize(MAX_ERASED_RECORDS)
  @IsUUID('all', { each: true })
  eventIds?: string[];

  @ApiProperty({ description: 'Why: recorded with the erasure' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}
