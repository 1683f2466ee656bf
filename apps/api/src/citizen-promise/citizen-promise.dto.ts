import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import {
  WORK_KINDS,
  type WorkKind,
} from '@samverkan/domain/citizen-promise/citizen-promise.events';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PlaceIds } from '../problems/place-ids';
import { IsFigures, IsLocalDate, SLUG, SLUG_MESSAGE } from '../problems/validators';

export class PeriodDto {
  @ApiProperty({ example: '2023-01-01' }) @IsLocalDate() from!: string;
  @ApiProperty({ example: '2025-12-31' }) @IsLocalDate() to!: string;
}

export class ProblemAreaDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(20) rank!: number;
  @ApiProperty({ example: 'alcohol-drug-crime' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  code!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}

export class CadenceDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(1000) times!: number;
  @ApiProperty({ enum: ['week', 'month', 'quarter', 'year'] })
  @IsIn(['week', 'month', 'quarter', 'year'])
  per!: 'week' | 'month' | 'quarter' | 'year';
}

export class CommitmentDto {
  @ApiProperty({ example: 'police-local-office' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  commitmentId!: string;
  @ApiProperty({ enum: ['police', 'municipality', 'joint'] })
  @IsIn(['police', 'municipality', 'joint'])
  owner!: 'police' | 'municipality' | 'joint';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description!: string;
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  problemAreaRanks!: number[];
  @ApiPropertyOptional({ type: CadenceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CadenceDto)
  cadence?: CadenceDto;
}

export class SignatoryDto {
  @ApiProperty({ example: 'lpo-chief' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  signatoryId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) agency!: AgencyCode;
}

export class DraftPromiseDto {
  @ApiProperty({ example: 'hammaro-2023-2025' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  promiseId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) title!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) municipality!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) policeArea!: string;
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) period!: PeriodDto;
  @ApiProperty() @IsString() @MaxLength(4000) origin!: string;
  @ApiProperty({ type: [ProblemAreaDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ProblemAreaDto)
  problemAreas!: ProblemAreaDto[];
  @ApiProperty() @IsString() @MaxLength(2000) focus!: string;
  @ApiProperty({ type: [CommitmentDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CommitmentDto)
  commitments!: CommitmentDto[];
  @ApiProperty({ type: [SignatoryDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SignatoryDto)
  signatories!: SignatoryDto[];
}

export class SignPromiseDto {
  @ApiProperty() @Matches(SLUG, { message: SLUG_MESSAGE }) signatoryId!: string;
  @ApiProperty({ example: '2023-01-10' }) @IsLocalDate() signedOn!: string;
}

export class RevisePromiseDto {
  @ApiProperty() @IsLocalDate() revisedOn!: string;
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
  @ApiProperty({ type: [CommitmentDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CommitmentDto)
  addedCommitments!: CommitmentDto[];
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SLUG, { each: true, message: SLUG_MESSAGE })
  withdrawnCommitmentIds!: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) focus?: string;
}

export class ScheduleFollowUpDto {
  @ApiProperty({ example: 'autumn-2024' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  followUpId!: string;
  @ApiProperty({ enum: ['municipal-board', 'police-area-management'] })
  @IsIn(['municipal-board', 'police-area-management'])
  recipient!: 'municipal-board' | 'police-area-management';
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) due!: PeriodDto;
}

export class ReportFollowUpDto {
  @ApiProperty() @IsLocalDate() reportedOn!: string;
  @ApiProperty() @IsString() @MaxLength(20000) summary!: string;
  @ApiProperty() @IsString() @MaxLength(20000) proposals!: string;
}

export class ActivityDetailsDto {
  @ApiProperty({ example: 'traffic-control' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  kind!: string;
  @ApiProperty({ example: '2024-09-12' }) @IsLocalDate() date!: string;
  @PlaceIds(['bymiljovagen'])
  placeIds!: string[];
  @ApiProperty({ enum: AGENCIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AGENCIES.length)
  @IsIn(AGENCIES, { each: true })
  agenciesPresent!: AgencyCode[];
  @ApiProperty() @IsString() @MaxLength(4000) outcome!: string;
  @ApiProperty({ example: { vehiclesChecked: 42, breathTests: 38 } })
  @IsObject()
  @IsFigures()
  figures!: Record<string, number>;
}

export class RecordActivityDto extends ActivityDetailsDto {
  @ApiPropertyOptional({ description: 'Made by the server when left out' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  activityId?: string;
  @ApiProperty() @Matches(SLUG, { message: SLUG_MESSAGE }) commitmentId!: string;
}

export class CorrectActivityDto extends ActivityDetailsDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class WithdrawActivityDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class WorkRefDto {
  @ApiProperty({
    enum: WORK_KINDS,
    description:
      'safety-walk (conducted), prevention-talk (held), situation-picture-confirmation (a confirmed picture), activity (one recorded under another commitment of this promise)',
  })
  @IsIn(WORK_KINDS)
  kind!: WorkKind;
  @ApiProperty({
    example: 'trygghetsvandring-2024',
    description: 'The walk, talk, confirmation or activity id',
  })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  workId!: string;
}

export class CreditWorkDto {
  @ApiProperty({ example: 'joint-safety-walks' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  commitmentId!: string;
  @ApiProperty({ type: WorkRefDto }) @ValidateNested() @Type(() => WorkRefDto) work!: WorkRefDto;
}

export class WithdrawCreditDto extends CreditWorkDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}
