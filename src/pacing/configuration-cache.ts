import { Injectable } from '@nestjs/common';
import { ConfigurationStore } from '../configuration/configuration.store';
import { VersionedConfiguration } from '../configuration/configuration.types';

/** Agents whose configuration a worker keeps parsed; the least recently loaded go first. */
const CAPACITY = 20_000;

/**
 * Parsed configurations for the dial decisions. A cached version is never trusted blindly: the
 * decision script compares it with the stored version and answers `stale` when they differ.
 */
@Injectable()
export class ConfigurationCache {
  private readonly entries = new Map<string, VersionedConfiguration>();

  constructor(private readonly store: ConfigurationStore) {}

  async get(agentId: string): Promise<VersionedConfiguration | null> {
    const cached = this.entries.get(agentId);
    if (cached) {
      return cached;
    }
    const loaded = await this.store.load(agentId);
    if (loaded) {
      this.remember(agentId, loaded);
    }

    return loaded;
  }

  forget(agentId: string): void {
    this.entries.delete(agentId);
  }

  private remember(agentId: string, configuration: VersionedConfiguration): void {
    if (this.entries.size >= CAPACITY) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
      }
    }
    this.entries.set(agentId, configuration);
  }
}
