import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  AGENCIES,
  allRoles,
  type AgencyCode,
  type Role,
} from '@samverkan/domain/agencies/agencies';
import { Type, type TypeHelpOptions } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  IsOptional,
} from 'class-validator';
import { IsLocalDate, SLUG, SLUG_MESSAGE } from '../problems/validators';

export class ParticipantDto {
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) agency!: AgencyCode;
  @ApiProperty({ enum: allRoles() }) @IsIn(allRoles()) role!: Role;
}

export class AgreedFollowUpDto {
  @ApiProperty() @IsString() @MaxLength(2000) action!: string;
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) responsibleAgency!: AgencyCode;
  @ApiProperty() @IsLocalDate() dueOn!: string;
}

const LEGAL_BASES = ['consent', 'osl-10-18a'] as const;

/** Consent (samtycke, 12 kap. 2 § OSL): recorded on the talk before it is held. */
export class ConsentGroundDto {
  @ApiProperty({ enum: ['consent'] }) @IsIn(['consent']) basis!: 'consent';
}

/** 10 kap. 18 a § OSL: social services and the police only, about a person under 21. */
export class Osl1018aGroundDto {
  @ApiProperty({ enum: ['osl-10-18a'] }) @IsIn(['osl-10-18a']) basis!: 'osl-10-18a';
  @ApiProperty({ description: 'The young person is under 21 (the provision applies only then)' })
  @IsBoolean()
  subjectUnder21!: boolean;
  @ApiProperty({
    description: 'Why sharing can help prevent the young person from committing crime',
    minLength: 10,
  })
  @IsString()
  @MaxLength(2000)
  preventivePurpose!: string;
}

/**
 * What a ground of an unknown basis is read as: only `basis`, so that the 400 names
 * `legalGround.basis` (and any other field as one that should not exist).
 */
class UnknownGroundDto {
  @IsIn(LEGAL_BASES) basis!: string;
}

/**
 * The basis picks the class, and with it the fields a ground of that basis may have: a consent
 * ground with a preventive purpose is refused, not silently stripped. (Not class-transformer's
 * `discriminator` option: it reads `basis` off every element of an array without a null check,
 * so `[null]` answered 500 instead of 400.)
 */
function groundClass(help?: TypeHelpOptions): new () => object {
  const ground: unknown = help?.object['legalGround'];
  const basis =
    typeof ground === 'object' && ground !== null && !Array.isArray(ground)
      ? (ground as { basis?: unknown }).basis
      : undefined;
  if (basis === 'consent') return ConsentGroundDto;
  if (basis === 'osl-10-18a') return Osl1018aGroundDto;
  return UnknownGroundDto;
}

@ApiExtraModels(ConsentGroundDto, Osl1018aGroundDto)
export class PlanPreventionTalkDto {
  @ApiPropertyOptional({ description: 'Made by the server when left out' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  talkId?: string;
  @ApiProperty({
    example: 'SOC-7F3K9Q',
    description:
      'Pseudonymous reference from social services; never a name or personal identity number',
  })
  @IsString()
  @MaxLength(30)
  subjectRef!: string;
  @ApiProperty() @IsLocalDate() plannedFor!: string;
  @ApiProperty({ type: [ParticipantDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants!: ParticipantDto[];
  @ApiProperty() @IsString() @MaxLength(2000) purpose!: string;
  @ApiProperty({
    description: 'The legal ground the talk rests on',
    oneOf: [{ $ref: getSchemaPath(ConsentGroundDto) }, { $ref: getSchemaPath(Osl1018aGroundDto) }],
    discriminator: {
      propertyName: 'basis',
      mapping: {
        consent: getSchemaPath(ConsentGroundDto),
        'osl-10-18a': getSchemaPath(Osl1018aGroundDto),
      },
    },
  })
  @IsObject()
  @ValidateNested()
  @Type(groundClass)
  legalGround!: ConsentGroundDto | Osl1018aGroundDto;
}

export class ChangeTalkParticipantsDto {
  @ApiProperty({ type: [ParticipantDto], description: 'The whole new list' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants!: ParticipantDto[];
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class RecordConsentDto {
  @ApiProperty({ example: 'consent-1' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  consentId!: string;
  @ApiProperty() @IsLocalDate() recordedOn!: string;
  @ApiProperty({ enum: ['guardian', 'young-person'], isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsIn(['guardian', 'young-person'], { each: true })
  givenBy!: ('guardian' | 'young-person')[];
  @ApiProperty() @IsBoolean() subjectAged15OrOver!: boolean;
  @ApiProperty() @IsString() @MaxLength(2000) scope!: string;
}

export class WithdrawConsentDto {
  @ApiProperty() @IsLocalDate() withdrawnOn!: string;
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}

export class RecordTalkHeldDto {
  @ApiProperty() @IsLocalDate() heldOn!: string;
  @ApiProperty({ type: [ParticipantDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants!: ParticipantDto[];
  @ApiProperty() @IsBoolean() guardiansPresent!: boolean;
  @ApiProperty() @IsString() @MaxLength(4000) outcome!: string;
  @ApiProperty({ type: [AgreedFollowUpDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AgreedFollowUpDto)
  agreedFollowUp!: AgreedFollowUpDto[];
}

export class FollowUpTalkDto {
  @ApiProperty() @IsLocalDate() followedUpOn!: string;
  @ApiProperty() @IsString() @MaxLength(4000) notes!: string;
  @ApiProperty() @IsBoolean() closed!: boolean;
}
