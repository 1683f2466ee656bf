import { ApiProperty } from '@nestjs/swagger';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { isIsoWeek } from '@samverkan/domain/calendar';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { SLUG, SLUG_MESSAGE } from '../problems/validators';

/** An ISO week such as 2024-W40 that exists (2021-W53 does not). */
const IsIsoWeek = () =>
  ValidateBy({
    name: 'isIsoWeek',
    validator: {
      validate: (value: unknown) => isIsoWeek(value),
      defaultMessage: () => '$property must be an ISO week such as 2024-W40',
    },
  });

/** The EST checklist: every category counted, 0 when nothing was seen. */
export class EstCountsDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(0) @Max(10000) vandalism!: number;
  @ApiProperty({ example: 2, name: 'gathering-places' })
  @IsInt()
  @Min(0)
  @Max(10000)
  'gathering-places'!: number;
  @ApiProperty({ example: 0, name: 'unsafe-places' })
  @IsInt()
  @Min(0)
  @Max(10000)
  'unsafe-places'!: number;
  @ApiProperty({ example: 0, name: 'threats-to-staff' })
  @IsInt()
  @Min(0)
  @Max(10000)
  'threats-to-staff'!: number;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) @Max(10000) rumours!: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(0) @Max(10000) littering!: number;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) @Max(10000) fires!: number;
}

export class AssignEstReporterDto {
  @ApiProperty({ example: 'lillangshamnen' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  placeId!: string;
  @ApiProperty({ enum: AGENCIES, example: 'municipal-security' })
  @IsIn(AGENCIES)
  agency!: AgencyCode;
}

export class UnassignEstReporterDto extends AssignEstReporterDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class ReportEstCountsDto {
  @ApiProperty({ example: 'lillangshamnen' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  placeId!: string;
  @ApiProperty({ example: '2024-W40' }) @IsIsoWeek() week!: string;
  @ApiProperty({ type: EstCountsDto })
  @ValidateNested()
  @Type(() => EstCountsDto)
  counts!: EstCountsDto;
}

export class CorrectEstCountsDto extends ReportEstCountsDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}
