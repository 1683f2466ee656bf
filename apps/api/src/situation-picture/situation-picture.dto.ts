import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PeriodDto } from '../citizen-promise/citizen-promise.dto';
import { IsLocalDate, SLUG, SLUG_MESSAGE } from '../problems/validators';

const TRENDS = ['rising', 'stable', 'falling'] as const;
const SEVERITIES = ['low', 'medium', 'high'] as const;
const SOURCES = ['own-observation', 'citizen-dialogue', 'statistics', 'incident-reports'] as const;
const SENSITIVITIES = ['open', 'restricted'] as const;

export class SituationReportDetailsDto {
  @ApiProperty({ example: 'Skoghall centrum' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  area!: string;
  @ApiPropertyOptional({ example: 'Lillängshamnen' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  place?: string;
  @ApiProperty({ example: 'vandalism-burglary' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  problemArea!: string;
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
  @ApiProperty({ enum: TRENDS }) @IsIn(TRENDS) trend!: (typeof TRENDS)[number];
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity!: (typeof SEVERITIES)[number];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) description!: string;
  @ApiProperty({ enum: SOURCES }) @IsIn(SOURCES) source!: (typeof SOURCES)[number];
  @ApiProperty({ enum: SENSITIVITIES })
  @IsIn(SENSITIVITIES)
  sensitivity!: (typeof SENSITIVITIES)[number];
  @ApiProperty({
    enum: AGENCIES,
    isArray: true,
    description: 'Who else may read a restricted report',
  })
  @IsArray()
  @ArrayMaxSize(AGENCIES.length)
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
}

export class RetractSituationReportDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class ConfirmSituationPictureDto {
  @ApiProperty({ example: 'meeting-2024-10-15' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  confirmationId!: string;
  @ApiProperty() @IsLocalDate() meetingOn!: string;
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(SLUG, { each: true, message: SLUG_MESSAGE })
  reportIds!: string[];
  @ApiProperty() @IsString() @MaxLength(8000) summary!: string;
}
