import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChainableCommander } from 'ioredis';
import { RedisClient } from './redis-connection';

type ScriptArgument = string | number;

/**
 * The service's Lua scripts, each a file in `./scripts` named for what it decides and loaded
 * once per connection with `defineCommand` (EVALSHA, falling back to EVAL after a restart).
 * `scripts/common.lua`, the helpers they share, is placed in front of each.
 */
export const SCRIPT_NAMES = [
  'enqueue-call',
  'request-wake',
  'decide-dials',
  'finish-dial',
  'end-call',
  'cancel-call',
  'end-waiting-calls',
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

type ScriptCommand = (keyCount: number, ...keysAndArguments: ScriptArgument[]) => Promise<unknown>;
type PipelinedCommand = (keyCount: number, ...keysAndArguments: ScriptArgument[]) => unknown;

export class LuaScripts {
  constructor(private readonly client: RedisClient) {
    const common = readScript('common');
    for (const name of SCRIPT_NAMES) {
      client.defineCommand(commandName(name), { lua: `${common}\n${readScript(name)}` });
    }
  }

  /** Adds a script run to a pipeline (or transaction) of the same connection. */
  queue(pipeline: ChainableCommander, name: ScriptName, keys: string[], args: ScriptArgument[]) {
    const command = (pipeline as unknown as Record<string, PipelinedCommand>)[commandName(name)];
    command.call(pipeline, keys.length, ...keys, ...args);
  }

  /** Runs a script; every key must carry the same hash tag. */
  run(name: ScriptName, keys: string[], args: ScriptArgument[]): Promise<unknown> {
    const command = (this.client as unknown as Record<string, ScriptCommand>)[commandName(name)];

    return command.call(this.client, keys.length, ...keys, ...args);
  }
}

function readScript(name: string): string {
  return readFileSync(join(__dirname, 'scripts', `${name}.lua`), 'utf8');
}

function commandName(name: ScriptName): string {
  return `outpace_${name.replace(/-/g, '_')}`;
}
