import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isIanaZone } from '../../calendar/time-zones';
import { Omittable } from '../../common/omittable';
import { toE164 } from '../../common/phone-number';
import { Priority, PRIORITIES } from '../call.types';

@ValidatorConstraint({ name: 'e164' })
class IsE164Number implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^\+\d{6,15}$/.test(value);
  }

  defaultMessage(): string {
    return 'must be a valid E.164 number with its country code, such as +12125550100';
  }
}

@ValidatorConstraint({ name: 'ianaZone' })
class IsIanaZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isIanaZone(value);
  }

  defaultMessage(): string {
    return 'must be an IANA time zone name, such as America/New_York';
  }
}

/** Normalises a number to E.164 where it parses, and leaves anything else for the validator. */
const normalisedNumber = () =>
  Transform(({ value }) => (typeof value === 'string' ? (toE164(value) ?? value) : value));

/** One call to enqueue. Names follow the telephony platform's own outbound-call API. */
export class CallRequestDto {
  @ApiProperty({ description: 'Number to call, E.164 (spaces, dashes, dots, brackets stripped).' })
  @normalisedNumber()
  @Validate(IsE164Number)
  to_number!: string;

  @ApiPropertyOptional({
    description: "One of the agent's numbers: then only it is used. Default: the service chooses.",
  })
  @Omittable()
  @normalisedNumber()
  @Validate(IsE164Number)
  from_number?: string;

  @ApiPropertyOptional({
    description: "Schedule to pace the call by. Default: the agent's default.",
  })
  @Omittable()
  @IsString()
  @Length(1, 200)
  schedule_id?: string;

  @ApiPropertyOptional({ description: 'Free-form data handed to the dialer.', default: {} })
  @Omittable()
  @IsObject()
  context: Record<string, unknown> = {};

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @Omittable()
  @IsIn(PRIORITIES)
  priority: Priority = 'normal';

  @ApiPropertyOptional({ minimum: 1, maximum: 80, default: 80 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(80)
  ringing_timeout_seconds: number = 80;

  @ApiPropertyOptional({ minimum: 60, maximum: 86400, default: 3600 })
  @Omittable()
  @IsInt()
  @Min(60)
  @Max(86400)
  max_call_duration_seconds: number = 3600;

  @ApiPropertyOptional({
    description: "IANA zone of the person called. Default: inferred from to_number's prefix.",
  })
  @Omittable()
  @Validate(IsIanaZone)
  contact_timezone?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant before which the call is not dialed.' })
  @Omittable()
  @IsISO8601({ strict: true })
  not_before?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant after which the call ends `expired`.' })
  @Omittable()
  @IsISO8601({ strict: true })
  expires_at?: string;

  @ApiPropertyOptional({
    description: 'Idempotency key: a second enqueue with it returns the first call.',
  })
  @Omittable()
  @IsString()
  @Length(1, 200)
  external_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 1 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(10)
  max_attempts: number = 1;

  @ApiPropertyOptional({
    description: 'Delay before another attempt after busy, no_answer or failed.',
    minimum: 0,
    maximum: 86400,
    default: 600,
  })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(86400)
  retry_delay_seconds: number = 600;
}
