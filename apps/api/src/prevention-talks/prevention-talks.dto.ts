import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AGENCIES,
  allRoles,
  type AgencyCode,
  type Role,
} from '@samverkan/domain/agencies/agencies';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
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
