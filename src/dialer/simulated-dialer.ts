import { Logger } from '@nestjs/common';
import { DialAnswer, DialerDriver, DialRequest } from './dialer-driver';

export type SimulatedCallStatus = 'answered' | 'completed';

/** Applies the call events the simulated telephony side sends; provided by the pacing module. */
export interface SimulatedCallReporter {
  report(callId: string, status: SimulatedCallStatus, durationSeconds?: number): Promise<void>;
}

/** Range of simulated call durations, in seconds (`SIMULATED_CALL_SECONDS`). */
export interface SimulatedCallSeconds {
  min: number;
  max: number;
}

/** Cancels one pending event. */
type Cancel = () => void;

/**
 * A telephony side in process, so that the whole service can run and be measured on one machine
 * (SPEC 3.4). Every dial is placed; the callee answers at once and hangs up after a random
 * duration in [min, max] seconds. Both events go through the reporter, as the real telephony
 * side's would go through `POST /outbound/calls/{call_id}/events`.
 */
export class SimulatedDialer implements DialerDriver {
  private readonly logger = new Logger(SimulatedDialer.name);
  private readonly pending = new Set<Cancel>();
  private stopped = false;

  /** `random` returns a number in [0, 1), as Math.random does; tests pass their own. */
  constructor(
    private readonly reporter: SimulatedCallReporter,
    private readonly callSeconds: SimulatedCallSeconds,
    private readonly random: () => number = Math.random,
  ) {}

  async dial(request: DialRequest): Promise<DialAnswer> {
    const callId = request.call_id;
    const durationMs = this.drawDurationMs();

    this.later(0, async () => {
      await this.send(callId, 'answered');
      this.later(durationMs, () => this.send(callId, 'completed', durationMs / 1000));
    });

    return 'placed';
  }

  /** Drops every event not yet sent, for shutdown: the calls they belong to stay in progress. */
  stop(): void {
    this.stopped = true;
    for (const cancel of this.pending) {
      cancel();
    }
    this.pending.clear();
  }

  /** Whole milliseconds, so that the reported duration is exactly the time waited. */
  private drawDurationMs(): number {
    const { min, max } = this.callSeconds;

    return Math.round((min + this.random() * (max - min)) * 1000);
  }

  /**
   * Runs `task` after `delayMs`, or on the next turn of the event loop for 0 (the benchmark's
   * instant calls), so always after the dial's promise has settled. Unref'd: pending simulated
   * calls do not keep the process alive.
   */
  private later(delayMs: number, task: () => Promise<void>): void {
    if (this.stopped) {
      return;
    }
    const run = () => {
      this.pending.delete(cancel);
      void task();
    };
    const cancel = delayMs === 0 ? nextTurn(run) : afterDelay(run, delayMs);

    this.pending.add(cancel);
  }

  /** A failed report is logged and dropped: the lease frees the call's slot in the end. */
  private async send(
    callId: string,
    status: SimulatedCallStatus,
    durationSeconds?: number,
  ): Promise<void> {
    try {
      await this.reporter.report(callId, status, durationSeconds);
    } catch (error) {
      this.logger.error(
        `simulated call event not applied call_id=${callId} status=${status}`,
        error instanceof Error ? error.stack : String(error),
      );
    }
  }
}

function nextTurn(run: () => void): Cancel {
  const immediate = setImmediate(run).unref();

  return () => clearImmediate(immediate);
}

function afterDelay(run: () => void, delayMs: number): Cancel {
  const timer = setTimeout(run, delayMs).unref();

  return () => clearTimeout(timer);
}
