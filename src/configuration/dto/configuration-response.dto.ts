import { ApiProperty, IntersectionType, OmitType } from '@nestjs/swagger';
import { ConfigurationReadout } from '../configuration.types';
import { ConfigurationDto } from './configuration.dto';
import { ScheduleDto } from './schedule.dto';

class ScheduleIdDto {
  @ApiProperty({
    description: "The schedule's id: the one sent, else its name.",
    example: 'weekdays',
  })
  id!: string;
}

/** A schedule as stored: every default filled in, and always an id. */
export class StoredScheduleDto extends IntersectionType(
  ScheduleIdDto,
  OmitType(ScheduleDto, ['id'] as const),
) {}

/** Documents the configuration response for OpenAPI; the service builds the value itself. */
export class ConfigurationResponseDto
  extends OmitType(ConfigurationDto, ['schedules'] as const)
  implements ConfigurationReadout
{
  @ApiProperty({ type: [StoredScheduleDto] })
  schedules!: StoredScheduleDto[];

  @ApiProperty({
    description: "Dial attempts made today from the agent's numbers.",
    type: 'integer',
    minimum: 0,
  })
  total_calls_today!: number;

  @ApiProperty({
    description: 'Sum over enabled numbers of max(0, daily_limit - attempts today).',
    type: 'integer',
    minimum: 0,
  })
  calls_remaining_today!: number;

  @ApiProperty({
    description:
      'Whether the default schedule is enabled, one of its windows is open now and calls ' +
      'remain today.',
  })
  can_call_now!: boolean;

  @ApiProperty({
    description:
      'When the default schedule next can call (ISO 8601, UTC), counting the daily reset where ' +
      'the limits are spent; null when it can call now or never will as configured.',
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2025-03-10T13:00:00.000Z',
  })
  next_available_time!: string | null;
}
