import { Injectable } from '@nestjs/common';
import { CallEventsService } from '../calls/call-events.service';
import { SimulatedCallReporter, SimulatedCallStatus } from '../dialer/simulated-dialer';

/** Feeds the simulated telephony side's events through the same path as real ones. */
@Injectable()
export class CallEventReporter implements SimulatedCallReporter {
  constructor(private readonly events: CallEventsService) {}

  async report(callId: string, status: SimulatedCallStatus, durationSeconds?: number) {
    await this.events.apply(callId, { status, durationSeconds });
  }
}
