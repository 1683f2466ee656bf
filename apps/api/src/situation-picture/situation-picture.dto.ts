import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import type {
  ReportSource,
  Sensitivity,
  Severity,
  Trend,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PeriodDto } from '../citizen-promise/citizen-promise.dto';
import { PlaceIds } from '../problems/place-ids';
import { IsLocalDate, SLUG, SLUG_MESSAGE } from '../problems/validators';

/** Every value of a domain union: the compiler fails here when the domain adds or drops one. */
const valuesOf = <T extends string>(all: Record<T, true>): readonly T[] => Object.keys(all) as T[];

const TRENDS = valuesOf<Trend>({ rising: true, stable: true, falling: true });
const SEVERITIES = valuesOf<Severity>({ low: true, medium: true, high: true });
const SOURCES = valuesOf<ReportSource>({
  'own-observation': true,
  'citizen-dialogue': true,
  statistics: true,
  'incident-reports': true,
});
const SENSITIVITIES = valuesOf<Sensitivity>({ open: true, restricted: true });

/** What a report says; a correction restates all of it. */
export class SituationReportDetailsDto {
  @PlaceIds(['lillangshamnen'])
  placeIds!: string[];
  @ApiProperty({ example: 'vandalism-burglary' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  problemArea!: string;
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
  @ApiProperty({ enum: TRENDS }) @IsIn(TRENDS) trend!: Trend;
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity!: Severity;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) description!: string;
  @ApiProperty({ enum: SOURCES }) @IsIn(SOURCES) source!: ReportSource;
  @ApiProperty({ enum: SENSITIVITIES }) @IsIn(SENSITIVITIES) sensitivity!: Sensitivity;
  @ApiProperty({
    enum: AGENCIES,
    isArray: true,
    description:
      'The other agencies that may read a restricted report; empty for an open one, which the whole partnership reads',
  })
  @IsArray()
  @ArrayMaxSize(AGENCIES.length)
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  sharedWith!: AgencyCode[];
}

export class ReportSituationDto extends SituationReportDetailsDto {
  @ApiPropertyOptional({ description: 'Made by the server when left out' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  reportId?: string;
}

export class CorrectSituationReportDto extends SituationReportDetailsDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
  @ApiPropertyOptional({
    description:
      'The earlier text held personal data: it is redacted (its keys destroyed), in every view of the past too',
  })
  @IsOptional()
  @IsBoolean()
  redactsEarlierText?: boolean;
}

export class RetractSituationReportDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class ConfirmSituationPictureDto {
  @ApiProperty({ example: 'meeting-2024-10-15' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  confirmationId!: string;
  @ApiProperty({ example: '2024-10-15' }) @IsLocalDate() meetingOn!: string;
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
  @ApiProperty({ type: [String], description: 'The reports the picture rests on' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(SLUG, { each: true, message: SLUG_MESSAGE })
  reportIds!: string[];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(8000) summary!: string;
}
