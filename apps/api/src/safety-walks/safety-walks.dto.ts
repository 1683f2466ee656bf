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
  @ApiProperty({ example: 'Skoghall centrum' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  area!: string;
  @ApiProperty({
    type: [String],
    example: ['Skoghall centrum', 'Lillängshamnen'],
    description: 'The places walked, in order',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
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
  @ApiProperty({ example: 'Gångtunneln vid Skoghallsskolan' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  place!: string;
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
