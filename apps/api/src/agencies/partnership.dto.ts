import { ApiProperty } from '@nestjs/swagger';
import {
  AGENCIES,
  allRoles,
  type AgencyCode,
  type Role,
} from '@samverkan/domain/agencies/agencies';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

const USER_ID = /^[a-z0-9][a-z0-9._@-]{1,99}$/;
const USER_ID_MESSAGE = '$property must be 2 to 100 lower-case letters, digits or . _ @ -';

export class JoinAgencyDto {
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) agency!: AgencyCode;
  @ApiProperty({ example: 'Hammaröbostäder' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class GrantUserRoleDto {
  @ApiProperty() @Matches(USER_ID, { message: USER_ID_MESSAGE }) userId!: string;
  @ApiProperty({ enum: AGENCIES }) @IsIn(AGENCIES) agency!: AgencyCode;
  @ApiProperty({ enum: allRoles() }) @IsIn(allRoles()) role!: Role;
}

export class RevokeUserRoleDto extends GrantUserRoleDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason!: string;
}
