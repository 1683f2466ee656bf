import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import type { FindingKind } from '@samverkan/domain/safety-walks/safety-walks.events';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLocalDate, SLUG, SLUG_MESSAGE } from '../problems/validators';

const FINDING_KINDS: readonly FindingKind[] = [
  'poor-lighting',
  'overgrown-vegetation',
  'vandalism',
  'littering',
  'unsafe-crossing',
  'other',
];

export class PlanSafetyWalkDto {
  @ApiPropertyOptional({ description: 'Made by the server when left out' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  walkId?: string;
  @ApiProperty({ example: 'Skoghall centrum' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  area!: string;
  @ApiProperty({ type: [String], example: ['Skoghall centrum', 'Lillängshamnen'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  route!: string[];
  @ApiProperty() @IsLocalDate() plannedOn!: string;
  @ApiProperty({ enum: AGENCIES, isArray: true })
  @IsArray()
  @ArrayMaxSize(AGENCIES.length)
  @IsIn(AGENCIES, { each: true })
  invitedParties!: AgencyCode[];
}

export class FindingDto {
  @ApiProperty({ example: 'finding-1' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  findingId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) place!: string;
  @ApiProperty({ enum: FINDING_KINDS }) @IsIn(FINDING_KINDS) kind!: FindingKind;
  @ApiProperty() @IsString() @MaxLength(2000) description!: string;
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) responsibleParty!: AgencyCode;
}

export class ConductSafetyWalkDto {
  @ApiProperty() @IsLocalDate() conductedOn!: string;
  @ApiProperty({ enum: AGENCIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AGENCIES.length)
  @IsIn(AGENCIES, { each: true })
  participants!: AgencyCode[];
  @ApiProperty() @IsInt() @Min(0) @Max(10000) residentsTakingPart!: number;
  @ApiProperty({ type: [FindingDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings!: FindingDto[];
}

export class ReassignFindingDto {
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) responsibleParty!: AgencyCode;
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class AddressFindingDto {
  @ApiProperty() @IsLocalDate() addressedOn!: string;
  @ApiProperty() @IsString() @MaxLength(2000) action!: string;
}
