import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import type { FindingKind } from '@samverkan/domain/safety-walks/safety-walks.events';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
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
import { PlaceIds } from '../problems/place-ids';
import { IsLocalDate, SLUG, SLUG_MESSAGE } from '../problems/validators';

/** Every value of a domain union: the compiler fails here when the domain adds or drops one. */
const valuesOf = <T extends string>(all: Record<T, true>): readonly T[] => Object.keys(all) as T[];

const FINDING_KINDS = valuesOf<FindingKind>({
  'poor-lighting': true,
  'overgrown-vegetation': true,
  vandalism: true,
  littering: true,
  'unsafe-crossing': true,
  other: true,
});

export class PlanSafetyWalkDto {
  @ApiPropertyOptional({ description: 'Made by the server when left out' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  walkId?: string;
  @ApiProperty({
    example: 'skoghall-centrum',
    description: 'The area walked (a place of kind area)',
  })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  areaId!: string;
  @ApiProperty({
    type: [String],
    example: ['skoghall-centrum', 'gc-vagen-lillangshamnen', 'lillangshamnen'],
    description: 'The places walked, in order (ids of the places register)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(SLUG, { each: true, message: '$property must hold place ids (GET /places)' })
  route!: string[];
  @ApiProperty({ example: '2024-10-03' }) @IsLocalDate() plannedOn!: string;
  @ApiProperty({
    enum: AGENCIES,
    isArray: true,
    description: 'Parties invited besides the partnership, e.g. the housing company',
  })
  @IsArray()
  @ArrayMaxSize(AGENCIES.length)
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  invitedParties!: AgencyCode[];
}

export class FindingDto {
  @ApiProperty({ example: 'dark-underpass' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  findingId!: string;
  @PlaceIds(['lillangshamnen'])
  placeIds!: string[];
  @ApiProperty({ enum: FINDING_KINDS }) @IsIn(FINDING_KINDS) kind!: FindingKind;
  @ApiProperty() @IsString() @MaxLength(4000) description!: string;
  @ApiProperty({ enum: AGENCIES, description: 'Who is to put it right' })
  @IsIn(AGENCIES)
  responsibleParty!: AgencyCode;
}

export class ConductSafetyWalkDto {
  @ApiProperty({ example: '2024-10-03' }) @IsLocalDate() conductedOn!: string;
  @ApiProperty({ enum: AGENCIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AGENCIES.length)
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  participants!: AgencyCode[];
  @ApiProperty({ description: 'Residents are counted, never named' })
  @IsInt()
  @Min(0)
  @Max(10000)
  residentsTakingPart!: number;
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
  @ApiProperty({ example: '2024-11-12' }) @IsLocalDate() addressedOn!: string;
  @ApiProperty({ example: 'Belysningen i gångtunneln är bytt' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  action!: string;
}

export class ReportFindingDto {
  @ApiPropertyOptional({ description: 'Made by the server when left out' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  findingId?: string;
  @PlaceIds(['innergard-skoghall-centrum'])
  placeIds!: string[];
  @ApiProperty({ enum: FINDING_KINDS }) @IsIn(FINDING_KINDS) kind!: FindingKind;
  @ApiProperty({ example: 'Trasig belysning vid entrén' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description!: string;
  @ApiProperty({ enum: AGENCIES, description: 'Who is to put it right' })
  @IsIn(AGENCIES)
  responsibleParty!: AgencyCode;
  @ApiProperty({ example: '2024-11-12', description: 'The day it was found' })
  @IsLocalDate()
  reportedOn!: string;
}
