import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Min, ValidateIf } from 'class-validator';
import { CallerNumber } from '../configuration.types';
import {
  IsE164PhoneNumber,
  IsSmallJsonObject,
  IsText,
  METADATA_LIMIT_BYTES,
  normalisePhoneNumber,
} from './request-rules';

export const DISPLAY_NAME_MAX_LENGTH = 200;

const METADATA_DESCRIPTION =
  'Free-form object kept with the number; ' + `at most ${METADATA_LIMIT_BYTES} bytes as JSON.`;

/** A caller-ID number the agent may dial from. */
export class CallerNumberDto implements CallerNumber {
  @ApiProperty({
    description:
      'The number in E.164 form. Spaces, dashes, dots and brackets are stripped first, so ' +
      '"+1 (212) 555-0100" is stored as "+12125550100". Unique within the agent.',
    example: '+12125550100',
  })
  @Transform(({ value }) => normalisePhoneNumber(value))
  @IsE164PhoneNumber()
  phone_number!: string;

  @ApiPropertyOptional({
    description: 'Caller name shown with the number, or null for none.',
    type: String,
    nullable: true,
    default: null,
    maxLength: DISPLAY_NAME_MAX_LENGTH,
    example: 'Acme Support',
  })
  @ValidateIf((number: CallerNumberDto) => number.display_name !== null)
  @IsText(DISPLAY_NAME_MAX_LENGTH)
  display_name: string | null = null;

  @ApiPropertyOptional({
    description: 'Whether calls use this number first. At most one number is the default.',
    default: false,
  })
  @IsBoolean()
  is_default: boolean = false;

  @ApiPropertyOptional({ description: 'Whether calls may use this number.', default: true })
  @IsBoolean()
  enabled: boolean = true;

  @ApiPropertyOptional({
    description:
      'Most dial attempts from this number per day; the day is that of the default ' +
      "schedule's first window's time zone.",
    type: 'integer',
    minimum: 0,
    default: 5000,
  })
  @IsInt()
  @Min(0)
  daily_limit: number = 5000;

  @ApiPropertyOptional({
    description: METADATA_DESCRIPTION,
    type: 'object',
    additionalProperties: true,
    default: {},
  })
  // Kept exactly as sent: it is the caller's own data, not a shape of ours.
  @Transform(({ obj, key }) => (obj as Record<string, unknown>)[key])
  @IsSmallJsonObject(METADATA_LIMIT_BYTES)
  metadata: Record<string, unknown> = {};
}
