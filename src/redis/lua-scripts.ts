import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChainableCommander } from 'ioredis';
import { RedisClient } from './redis-connection';

type ScriptArgument = string | number;

/**
 * The service's Lua scripts, each a file in `./scripts` named for what it decides, with the
 * number of keys it takes. Each is loaded once per connection with `defineCommand` (EVALSHA,
 * falling back to EVAL after a restart); `scripts/common.lua`, the helpers they share, is placed
 * in front of each.
 *
 * The key count is declared rather than passed with each run so that a script's first argument
 * is its first key: ioredis routes an auto-pipelined command on a cluster by that argument.
 */
const SCRIPT_KEY_COUNTS = {
  'enqueue-calls': 8,
  'request-wake': 1,
  'decide-dials': 9,
  'finish-dial': 9,
  'end-call': 7,
  'cancel-call': 4,
  'end-waiting-calls': 3,
} as const;

export type ScriptName = keyof typeof SCRIPT_KEY_COUNTS;

const SCRIPT_NAMES = Object.keys(SCRIPT_KEY_COUNTS) as ScriptName[];

/** ioredis flattens array arguments: keys and arguments go as two arrays, never spread. */
type ScriptCommand = (keys: string[], args: ScriptArgument[]) => Promise<unknown>;
type PipelinedCommand = (keys: string[], args: ScriptArgument[]) => unknown;

export class LuaScripts {
  constructor(private readonly client: RedisClient) {
    const common = readScript('common');
    for (const name of SCRIPT_NAMES) {
      client.defineCommand(commandName(name), {
        lua: `${common}\n${readScript(name)}`,
        numberOfKeys: SCRIPT_KEY_COUNTS[name],
      });
    }
  }

  /** Adds a script run to a pipeline (or transaction) of the same connection. */
  queue(pipeline: ChainableCommander, name: ScriptName, keys: string[], args: ScriptArgument[]) {
    const command = (pipeline as unknown as Record<string, PipelinedCommand>)[commandName(name)];
    command.call(pipeline, checkedKeys(name, keys), args);
  }

  /** Runs a script; every key must carry the same hash tag. */
  run(name: ScriptName, keys: string[], args: ScriptArgument[]): Promise<unknown> {
    const command = (this.client as unknown as Record<string, ScriptCommand>)[commandName(name)];

    return command.call(this.client, checkedKeys(name, keys), args);
  }
}

function checkedKeys(name: ScriptName, keys: string[]): string[] {
  if (keys.length !== SCRIPT_KEY_COUNTS[name]) {
    throw new Error(`${name} takes ${SCRIPT_KEY_COUNTS[name]} keys, not ${keys.length}`);
  }

  return keys;
}

function readScript(name: string): string {
  return readFileSync(join(__dirname, 'scripts', `${name}.lua`), 'utf8');
}

function commandName(name: ScriptName): string {
  return `outpace_${name.replace(/-/g, '_')}`;
}
