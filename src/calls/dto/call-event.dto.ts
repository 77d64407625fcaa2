import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { CALL_EVENTS, CallEventStatus } from '../call.types';

export class CallEventDto {
  @ApiProperty({ enum: CALL_EVENTS })
  @IsIn(CALL_EVENTS)
  status!: CallEventStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 86400 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(86400)
  duration_seconds?: number;
}

export class CallEventQueryDto {
  @ApiPropertyOptional({
    description: 'The attempt the event is about (from callback_url); default: the current one.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  attempt?: number;
}
