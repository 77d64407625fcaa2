import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsText, NestedList, SCHEDULE_ID_PATTERN } from './request-rules';
import { TimeWindowDto } from './time-window.dto';

export const SCHEDULE_NAME_MAX_LENGTH = 200;

/** When and how fast the agent may call: its windows and its pace. */
export class ScheduleDto {
  @ApiPropertyOptional({
    description:
      'Stable id of the schedule (1-64 letters, digits, "_" or "-"); where absent the ' +
      'schedule is known by its name. Unique within the agent.',
    pattern: SCHEDULE_ID_PATTERN.source,
    minLength: 1,
    maxLength: 64,
    example: 'weekdays',
  })
  @IsOptional()
  @Matches(SCHEDULE_ID_PATTERN, { message: 'must be 1 to 64 letters, digits, "_" or "-"' })
  id?: string;

  @ApiProperty({
    description: 'Name of the schedule, unique within the agent.',
    minLength: 1,
    maxLength: SCHEDULE_NAME_MAX_LENGTH,
    example: 'Weekday business hours',
  })
  @IsText(SCHEDULE_NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({
    description: 'The weekly windows in which the schedule may dial; open when any one is.',
    type: [TimeWindowDto],
    minItems: 1,
    maxItems: 50,
  })
  @NestedList(TimeWindowDto, { min: 1, max: 50, noun: 'time windows' })
  time_windows!: TimeWindowDto[];

  @ApiPropertyOptional({ description: 'Whether the schedule may dial at all.', default: true })
  @IsBoolean()
  enabled: boolean = true;

  @ApiPropertyOptional({
    description: 'Most calls of this schedule dialing or in progress at once.',
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 1,
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  max_concurrent_calls: number = 1;

  @ApiPropertyOptional({
    description: 'Least time between the starts of two dials of this schedule, in seconds.',
    minimum: 0,
    maximum: 86400,
    default: 0,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  @Min(0)
  @Max(86400)
  call_interval_seconds: number = 0;

  @ApiPropertyOptional({
    description: 'Whether numbers on the do-not-call list are refused at dial time.',
    default: true,
  })
  @IsBoolean()
  respect_dnc: boolean = true;

  @ApiPropertyOptional({
    description:
      "Whether the windows are read in the called person's time zone (else in their own).",
    default: true,
  })
  @IsBoolean()
  respect_timezone: boolean = true;
}
