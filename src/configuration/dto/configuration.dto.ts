import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, ValidateIf } from 'class-validator';
import { CallerNumberDto } from './caller-number.dto';
import { NestedList, requiredOr } from './request-rules';
import { ScheduleDto } from './schedule.dto';

/** The complete outbound configuration of one agent; each POST replaces the previous one. */
export class ConfigurationDto {
  @ApiProperty({
    description: "The agent's id; must equal the agent_id of the path.",
    format: 'uuid',
    example: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  })
  @IsUUID('all', { message: requiredOr('must be a uuid') })
  agent_id!: string;

  @ApiProperty({
    description: 'The caller-ID numbers the agent dials from.',
    type: [CallerNumberDto],
    minItems: 1,
    maxItems: 1000,
  })
  @NestedList(CallerNumberDto, { min: 1, max: 1000, noun: 'phone numbers' })
  phone_numbers!: CallerNumberDto[];

  @ApiProperty({
    description: 'The calling schedules of the agent.',
    type: [ScheduleDto],
    minItems: 1,
    maxItems: 100,
  })
  @NestedList(ScheduleDto, { min: 1, max: 100, noun: 'schedules' })
  schedules!: ScheduleDto[];

  @ApiPropertyOptional({
    description:
      'Id of the schedule a call uses when it names none; null means the first enabled schedule.',
    type: String,
    nullable: true,
    default: null,
    example: 'weekdays',
  })
  @ValidateIf((configuration: ConfigurationDto) => configuration.default_schedule_id !== null)
  @IsString({ message: 'must be the id of one of the schedules, or null' })
  default_schedule_id: string | null = null;
}
