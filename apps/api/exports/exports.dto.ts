import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

export class MintCongressFeedDto {
  @ApiProperty({ enum: ['person', 'agency'], description: 'A feed of one person’s tasks or of one agency’s' })
  @IsIn(['person', 'agency'])
  kind!: 'person' | 'agency';

  @ApiPropertyOptional({ example: 'ptthang', description: 'With kind=person: the person’s id' })
  @ValidateIf((dto: MintCongressFeedDto) => dto.kind === 'person')
  @IsString()
  @Matches(CODE, { message: 'personId must be a person id (letters, digits, _ . -)' })
  personId?: string;

  @ApiPropertyOptional({ example: 'BAO', description: 'With kind=agency: the agency’s code' })
  @ValidateIf((dto: MintCongressFeedDto) => dto.kind === 'agency')
  @IsString()
  @Matches(CODE, { message: 'agencyCode must be an agency code (letters, digits, _ . -)' })
  agencyCode?: string;
}

export class RevokeFeedDto {
  @ApiPropertyOptional({ example: 'link shared by mistake' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'Only check the file against the plan; add nothing' })
  @IsOptional()
  @Transform(({ value }) =>
    value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
  )
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}
