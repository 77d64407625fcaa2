import { ApiProperty } from '@nestjs/swagger';

/** `added + already_listed` is the number of entries sent. */
export class BulkAddResultDto {
  @ApiProperty({ description: 'Entries that were not on the list before this request.' })
  added!: number;

  @ApiProperty({
    description:
      'Entries already on the list, including repeats within the request (after normalisation).',
  })
  already_listed!: number;
}
