import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RedisClient } from './redis-connection';

type ScriptArgument = string | number;

/**
 * The service's Lua scripts, each a file in `./scripts` named for what it decides and loaded
 * once per connection with `defineCommand` (EVALSHA, falling back to EVAL after a restart).
 */
export const SCRIPT_NAMES = [] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

type ScriptCommand = (keyCount: number, ...keysAndArguments: ScriptArgument[]) => Promise<unknown>;

export class LuaScripts {
  constructor(private readonly client: RedisClient) {
    for (const name of SCRIPT_NAMES) {
      client.defineCommand(commandName(name), {
        lua: readFileSync(join(__dirname, 'scripts', `${name}.lua`), 'utf8'),
      });
    }
  }

  /** Runs a script; every key must carry the same hash tag. */
  run(name: ScriptName, keys: string[], args: ScriptArgument[]): Promise<unknown> {
    const command = (this.client as unknown as Record<string, ScriptCommand>)[commandName(name)];

    return command.call(this.client, keys.length, ...keys, ...args);
  }
}

function commandName(name: ScriptName): string {
  return `outpace_${name.replace(/-/g, '_')}`;
}
