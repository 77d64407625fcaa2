import { Injectable, Logger } from '@nestjs/common';
import { InvalidRequestError, NoConfigurationError } from '../common/domain-errors';
import { ConfigurationEvents } from './configuration.events';
import { ConfigurationStore } from './configuration.store';
import {
  CallerNumber,
  ConfigurationResponse,
  OutboundConfiguration,
  Schedule,
} from './configuration.types';
import { CallerNumberDto } from './dto/caller-number.dto';
import { ConfigurationDto } from './dto/configuration.dto';
import { consistencyProblems, scheduleIdOf } from './dto/configuration-consistency';
import { ScheduleDto } from './dto/schedule.dto';
import { LiveReadout } from './live-readout';

/** Replaces, reads and removes agents' outbound configurations. */
@Injectable()
export class ConfigurationService {
  private readonly logger = new Logger(ConfigurationService.name);

  constructor(
    private readonly store: ConfigurationStore,
    private readonly events: ConfigurationEvents,
    private readonly liveReadout: LiveReadout,
  ) {}

  /** Stores `request` as the agent's whole configuration, whatever came before. */
  async replace(agentId: string, request: ConfigurationDto): Promise<ConfigurationResponse> {
    const problems = consistencyProblems(request, agentId);
    if (problems.length > 0) {
      throw new InvalidRequestError(problems);
    }

    const configuration = toConfiguration(agentId, request);
    const previous = await this.store.load(agentId);
    await this.store.save(configuration);
    this.logger.log(
      { event: 'configuration.replaced', ...summaryOf(configuration) },
      'configuration replaced',
    );

    await this.events.changed({
      agentId,
      previous: previous?.configuration ?? null,
      current: configuration,
    });

    return this.respond(configuration);
  }

  async get(agentId: string): Promise<ConfigurationResponse> {
    const stored = await this.store.load(agentId);
    if (stored === null) {
      throw new NoConfigurationError(agentId);
    }

    return this.respond(stored.configuration);
  }

  async remove(agentId: string): Promise<void> {
    const previous = await this.store.load(agentId);
    if (previous === null || !(await this.store.remove(agentId))) {
      throw new NoConfigurationError(agentId);
    }

    this.logger.log(
      { event: 'configuration.removed', ...summaryOf(previous.configuration) },
      'configuration removed',
    );
    await this.events.changed({ agentId, previous: previous.configuration, current: null });
  }

  private async respond(configuration: OutboundConfiguration): Promise<ConfigurationResponse> {
    return { ...configuration, ...(await this.liveReadout.of(configuration)) };
  }
}

/**
 * The stored form: every default filled in (the DTO's initialisers did that), each schedule
 * with its id, and the agent id spelt as in the path, under which it is stored.
 */
function toConfiguration(agentId: string, request: ConfigurationDto): OutboundConfiguration {
  return {
    agent_id: agentId,
    phone_numbers: request.phone_numbers.map(toCallerNumber),
    schedules: request.schedules.map(toSchedule),
    default_schedule_id: request.default_schedule_id,
  };
}

function toCallerNumber(number: CallerNumberDto): CallerNumber {
  return {
    phone_number: number.phone_number,
    display_name: number.display_name,
    is_default: number.is_default,
    enabled: number.enabled,
    daily_limit: number.daily_limit,
    metadata: number.metadata,
  };
}

function toSchedule(schedule: ScheduleDto): Schedule {
  return {
    id: scheduleIdOf(schedule),
    name: schedule.name,
    time_windows: schedule.time_windows.map((window) => ({
      start_time: window.start_time,
      end_time: window.end_time,
      days_of_week: window.days_of_week,
      timezone: window.timezone,
    })),
    enabled: schedule.enabled,
    max_concurrent_calls: schedule.max_concurrent_calls,
    call_interval_seconds: schedule.call_interval_seconds,
    respect_dnc: schedule.respect_dnc,
    respect_timezone: schedule.respect_timezone,
  };
}

/** What a log line says of a configuration: ids and counts, never a phone number. */
function summaryOf(configuration: OutboundConfiguration) {
  return {
    agentId: configuration.agent_id,
    numbers: configuration.phone_numbers.length,
    enabledNumbers: configuration.phone_numbers.filter((number) => number.enabled).length,
    scheduleIds: configuration.schedules.map((schedule) => schedule.id),
    enabledSchedules: configuration.schedules.filter((schedule) => schedule.enabled).length,
  };
}
