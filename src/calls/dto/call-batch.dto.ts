import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { CallRequestDto } from './call-request.dto';

/** Each item is validated on its own, so that a bad item rejects itself alone. */
export class CallBatchDto {
  @ApiProperty({ type: [CallRequestDto], minItems: 1, maxItems: 10000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  calls!: unknown[];
}
