import { Injectable } from '@nestjs/common';
import { OutboundConfiguration } from './configuration.types';

export interface ConfigurationChange {
  agentId: string;
  /** The configuration before the change; null when there was none. */
  previous: OutboundConfiguration | null;
  /** The configuration after the change; null when it was removed. */
  current: OutboundConfiguration | null;
}

type ChangeListener = (change: ConfigurationChange) => Promise<void>;

/**
 * Tells the modules built on configurations (pacing, calls) that one was replaced or removed,
 * without the configuration module depending on them.
 */
@Injectable()
export class ConfigurationEvents {
  private readonly listeners: ChangeListener[] = [];

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async changed(change: ConfigurationChange): Promise<void> {
    for (const listener of this.listeners) {
      await listener(change);
    }
  }
}
