/** Names of the service's BullMQ queues and jobs: a fixed set, whatever the number of agents. */
export const QUEUES = {
  /** One job per schedule wake-up: run the dial decisions of that schedule. */
  wake: 'pacing-wake',
} as const;

export const JOBS = {
  wake: 'wake',
} as const;

export interface WakeJob {
  agentId: string;
  scheduleId: string;
}
