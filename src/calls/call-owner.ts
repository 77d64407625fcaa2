/** Where a call lives, found from its id alone: its agent and its schedule. */
export interface CallOwner {
  agentId: string;
  scheduleId: string;
}

/**
 * The owner as stored under the call's id: the agent id, a space, the schedule id. An agent id is
 * a uuid and holds no space, so the first space divides the two whatever the schedule id holds.
 */
export function ownerValue({ agentId, scheduleId }: CallOwner): string {
  return `${agentId} ${scheduleId}`;
}

export function parseOwner(value: string | null): CallOwner | null {
  const space = value?.indexOf(' ') ?? -1;
  if (value === null || space < 0) {
    return null;
  }

  return { agentId: value.slice(0, space), scheduleId: value.slice(space + 1) };
}
