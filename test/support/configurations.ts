import { randomUUID } from 'node:crypto';

/** A window open every day, all day, in UTC. */
export const ALWAYS_OPEN = {
  start_time: '00:00',
  end_time: '24:00',
  days_of_week: [1, 2, 3, 4, 5, 6, 7],
  timezone: 'UTC',
};

export const CALLER_A = '+12125550100';
export const CALLER_B = '+12125550101';

/** Distinct valid US callee numbers (New York). */
export function callee(index: number): string {
  return `+1212555${String(2000 + index).padStart(4, '0')}`;
}

/** A valid configuration body; `schedule` and the top level take overrides. */
export function configurationBody(
  agentId: string = randomUUID(),
  schedule: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) {
  return {
    agent_id: agentId,
    phone_numbers: [{ phone_number: CALLER_A, is_default: true }],
    schedules: [{ name: 'main', time_windows: [ALWAYS_OPEN], ...schedule }],
    ...overrides,
  };
}
