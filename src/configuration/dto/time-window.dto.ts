import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { TimeWindow } from '../../calendar/schedule-calendar';
import {
  END_TIME_PATTERN,
  IsIanaZone,
  IsIsoWeekdays,
  IsWindowEnd,
  requiredOr,
  START_TIME_PATTERN,
} from './request-rules';

/** One weekly calling window of a schedule: open over [start_time, end_time) of local time. */
export class TimeWindowDto implements TimeWindow {
  @ApiProperty({
    description: 'Local time the window opens, `HH:MM` or `HH:MM:SS` (24-hour), inclusive.',
    pattern: START_TIME_PATTERN.source,
    example: '09:00',
  })
  @Matches(START_TIME_PATTERN, {
    message: requiredOr('must be a clock time HH:MM or HH:MM:SS (00:00 to 23:59:59)'),
  })
  start_time!: string;

  @ApiProperty({
    description:
      'Local time the window closes, exclusive; `24:00` is the end of the day. An end before ' +
      'the start makes the window run overnight into the next day. Must differ from start_time.',
    pattern: END_TIME_PATTERN.source,
    example: '17:30',
  })
  @IsWindowEnd()
  end_time!: string;

  @ApiProperty({
    description:
      'ISO days of the week on which the window opens: 1 = Monday ... 7 = Sunday. At least ' +
      'one, no repeats. An overnight window is listed under the day it starts.',
    type: 'integer',
    isArray: true,
    minItems: 1,
    maxItems: 7,
    uniqueItems: true,
    minimum: 1,
    maximum: 7,
    example: [1, 2, 3, 4, 5],
  })
  @IsIsoWeekdays()
  days_of_week!: number[];

  @ApiProperty({
    description: 'IANA time zone in which start_time and end_time are read.',
    example: 'America/New_York',
  })
  @IsIanaZone()
  timezone!: string;
}
