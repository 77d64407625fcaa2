import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';

export const MOST_NUMBERS_PER_BULK_ADD = 100_000;

/** Entries are parsed after validation, so that a bad one is named by its index. */
export class AddPhoneNumbersDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MOST_NUMBERS_PER_BULK_ADD,
    description: 'E.164 numbers; spaces, dashes, dots and brackets are stripped.',
    example: ['+12125550100', '+44 20 7946 0018'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MOST_NUMBERS_PER_BULK_ADD)
  phone_numbers!: unknown[];
}
