import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigurationChange, ConfigurationEvents } from '../configuration/configuration.events';
import { WakeRequests } from '../pacing/wake-requests';
import { CallsService } from './calls.service';

/**
 * Makes a configuration change reach the calls at once: a replaced configuration wakes every
 * schedule that holds calls (the next decision applies the new rules); a removed one cancels
 * every call not yet dialing.
 */
@Injectable()
export class ConfigurationChangeListener implements OnModuleInit {
  constructor(
    private readonly events: ConfigurationEvents,
    private readonly calls: CallsService,
    private readonly wakes: WakeRequests,
  ) {}

  onModuleInit(): void {
    this.events.onChange((change) => this.apply(change));
  }

  private async apply({ agentId, current }: ConfigurationChange): Promise<void> {
    const scheduleIds = await this.calls.schedulesWithCalls(agentId);
    const now = Date.now();

    await Promise.all(
      scheduleIds.map((scheduleId) =>
        current
          ? this.wakes.request(agentId, scheduleId, now, now)
          : this.calls.endWaiting(agentId, scheduleId, 'configuration_removed'),
      ),
    );
  }
}
