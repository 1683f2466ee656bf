import { ApiProperty, PickType } from '@nestjs/swagger';
import {
  UNSAFE_CATEGORIES,
  type UnsafeCategory,
} from '@samverkan/domain/citizen-dialogue/unsafe-places';
import { IsString, MaxLength } from 'class-validator';
import { WriteResult } from '../commands/write-result';
import { ReportSituationDto } from '../situation-picture/situation-picture.dto';

/**
 * A resident's submission: a place of the register and a category of the list, nothing else.
 * Which place and which category are checked by the handler (422, nothing stored).
 */
export class UnsafePlaceDto {
  @ApiProperty({ example: 'lillangshamnen', description: 'A place of GET /public/places' })
  @IsString()
  @MaxLength(80)
  placeId!: string;
  @ApiProperty({ enum: UNSAFE_CATEGORIES })
  @IsString()
  @MaxLength(40)
  category!: string;
}

/** What the resident is told: that it came in, and about what. Nothing to follow them by. */
export class UnsafePlaceReceipt {
  @ApiProperty({ example: '2026-11-20', description: 'The day it was received' })
  receivedOn!: string;
  @ApiProperty() placeId!: string;
  @ApiProperty() placeName!: string;
  @ApiProperty({ enum: UNSAFE_CATEGORIES }) category!: UnsafeCategory;
  @ApiProperty({ description: 'How many days it waits for the safety coordinator at most' })
  keptDays!: number;
}

export class PublicPosition {
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
}

export class PublicPlace {
  @ApiProperty() placeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: PublicPosition }) position!: PublicPosition;
}

export class PublicPlaces {
  @ApiProperty({ type: [PublicPlace] }) items!: PublicPlace[];
}

export class SubmissionGroupDto {
  @ApiProperty() placeId!: string;
  @ApiProperty() placeName!: string;
  @ApiProperty({ enum: UNSAFE_CATEGORIES }) category!: UnsafeCategory;
  @ApiProperty({ description: 'Waiting submissions of this place and category' }) count!: number;
  @ApiProperty() firstReceivedOn!: string;
  @ApiProperty() lastReceivedOn!: string;
}

export class SubmissionGroupPage {
  @ApiProperty({ type: [SubmissionGroupDto] }) items!: SubmissionGroupDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/**
 * What the coordinator completes to accept a group as a situation report: the fields of a
 * report the submissions do not give, validated as the report's own (the place is the group's;
 * the source is citizen dialogue; the report is open to the partnership).
 */
export class AcceptSubmissionsDto extends PickType(ReportSituationDto, [
  'reportId',
  'problemArea',
  'period',
  'trend',
  'severity',
  'description',
] as const) {}

/** The situation report's write (`id` is the report's), and how many submissions it took. */
export class AcceptedSubmissions extends WriteResult {
  @ApiProperty({ description: 'Submissions accepted (and deleted)' }) accepted!: number;
}

export class RejectedSubmissions {
  @ApiProperty({ description: 'Submissions rejected (and deleted)' }) rejected!: number;
}
