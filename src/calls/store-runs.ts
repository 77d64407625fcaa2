import { AgentKeys } from '../redis/redis-keys';
import { recordArguments } from './call-record';
import { PlacedCall } from './call-placement';

/*
 * How a batch of calls is cut into runs of `enqueue-calls.lua`, and the arguments of each run.
 */

/** Calls stored by one script run: about 2 ms of Redis time, short enough not to stall others. */
export const CALLS_PER_RUN = 200;

/** Calls of one schedule stored by one script run, by their positions in the batch. */
export interface StoreRun {
  scheduleId: string;
  positions: number[];
}

/** The batch's calls grouped by schedule, in order, at most CALLS_PER_RUN a run. */
export function runsOf(calls: PlacedCall[]): StoreRun[] {
  const open = new Map<string, StoreRun>();
  const runs: StoreRun[] = [];
  calls.forEach((call, position) => {
    let run = open.get(call.schedule.id);
    if (!run || run.positions.length === CALLS_PER_RUN) {
      run = { scheduleId: call.schedule.id, positions: [] };
      open.set(call.schedule.id, run);
      runs.push(run);
    }
    run.positions.push(position);
  });

  return runs;
}

/** The keys of `enqueue-calls.lua` for a run of the schedule's calls. */
export function storeKeys(agentKeys: AgentKeys, scheduleId: string): string[] {
  const scheduleKeys = agentKeys.forSchedule(scheduleId);

  return [
    agentKeys.configuration,
    agentKeys.calls,
    agentKeys.externalIds,
    agentKeys.schedulesWithCalls,
    scheduleKeys.lines,
    scheduleKeys.deferred,
    scheduleKeys.expiries,
    scheduleKeys.wake,
  ];
}

/** The arguments of `enqueue-calls.lua` for one run: a group for each of its calls. */
export function storeArguments(
  run: StoreRun,
  calls: PlacedCall[],
  agentKeys: AgentKeys,
): (string | number)[] {
  const waitingPrefix = agentKeys.forSchedule(run.scheduleId).waitingPrefix;
  const args: (string | number)[] = [run.scheduleId, agentKeys.callPrefix, waitingPrefix];
  for (const position of run.positions) {
    const { callId, record, notBeforeMs, expiresAtMs } = calls[position];
    const fields = recordArguments(record);
    args.push(callId, record.external ?? '', record.line, record.score, record.created);
    args.push(notBeforeMs, expiresAtMs, fields.length, ...fields);
  }

  return args;
}
