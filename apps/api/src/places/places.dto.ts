import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PLACE_KINDS, type PlaceKind } from '@samverkan/domain/places/places.events';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SLUG, SLUG_MESSAGE } from '../problems/validators';

export class GeoPositionDto {
  @ApiProperty({ example: 59.3265, description: 'WGS 84 latitude' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude!: number;
  @ApiProperty({ example: 13.4807, description: 'WGS 84 longitude' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude!: number;
  @ApiProperty({
    enum: ['approximate', 'surveyed'],
    description: 'approximate: placed by hand; drawn and described as approximate',
  })
  @IsIn(['approximate', 'surveyed'])
  precision!: 'approximate' | 'surveyed';
}

export class PlaceDetailsDto {
  @ApiProperty({ example: 'Lillängshamnen' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
  @ApiProperty({ enum: PLACE_KINDS }) @IsIn(PLACE_KINDS) kind!: PlaceKind;
  @ApiProperty({
    example: 'skoghall-centrum',
    nullable: true,
    description: 'The area (a place of kind area) it lies in; null for a top-level area',
  })
  @ValidateIf((_, value) => value !== null)
  @Matches(SLUG, { message: SLUG_MESSAGE })
  areaId!: string | null;
  @ApiProperty({ type: GeoPositionDto })
  @ValidateNested()
  @Type(() => GeoPositionDto)
  position!: GeoPositionDto;
}

export class RegisterPlaceDto extends PlaceDetailsDto {
  @ApiPropertyOptional({
    example: 'lillangshamnen',
    description: 'Made from the name when left out',
  })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  placeId?: string;
}

export class ChangePlaceDto extends PlaceDetailsDto {
  @ApiProperty({ example: 'Position inmätt på plats' })
  @IsString()
  @MaxLength(2000)
  reason!: string;
}
