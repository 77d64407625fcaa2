import { Injectable, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { readEnvironment } from '../environment/environment';
import { EnvironmentModule } from '../environment/environment.module';
import { DIALER_DRIVER, DialerDriver, DialRequest } from './dialer-driver';
import { DialerModule } from './dialer.module';
import { SimulatedCallReporter, SimulatedCallStatus, SimulatedDialer } from './simulated-dialer';

interface ReportedEvent {
  callId: string;
  status: SimulatedCallStatus;
  durationSeconds?: number;
}

@Injectable()
class RecordingReporter implements SimulatedCallReporter {
  readonly events: ReportedEvent[] = [];

  async report(
    callId: string,
    status: SimulatedCallStatus,
    durationSeconds?: number,
  ): Promise<void> {
    this.events.push(
      durationSeconds === undefined ? { callId, status } : { callId, status, durationSeconds },
    );
  }
}

function dialOf(callId: string): DialRequest {
  return {
    call_id: callId,
    agent_id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
    to_number: '+12125550100',
    from_number: '+13125550199',
    display_name: null,
    context: {},
    priority: 'normal',
    ringing_timeout_seconds: 80,
    max_call_duration_seconds: 3600,
    callback_url: `http://127.0.0.1:3000/outbound/calls/${callId}/events`,
  };
}

/** Lets every pending immediate and promise run, without waiting on the clock. */
async function nextTurns(count = 3): Promise<void> {
  for (let turn = 0; turn < count; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('SimulatedDialer', () => {
  let reporter: RecordingReporter;

  beforeEach(() => {
    reporter = new RecordingReporter();
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('places every dial at once, before the callee answers', async () => {
    const dialer = new SimulatedDialer(reporter, { min: 0, max: 0 });

    const answer = await dialer.dial(dialOf('call-1'));

    expect(answer).toBe('placed');
    expect(reporter.events).toEqual([]);
  });

  it('with a duration of 0 s reports answered, then completed, on the next turns of the event loop', async () => {
    const dialer = new SimulatedDialer(reporter, { min: 0, max: 0 });

    await dialer.dial(dialOf('call-1'));
    await nextTurns();

    expect(reporter.events).toEqual([
      { callId: 'call-1', status: 'answered' },
      { callId: 'call-1', status: 'completed', durationSeconds: 0 },
    ]);
  });

  it('ends a call after the duration it drew, between min and max seconds', async () => {
    jest.useFakeTimers();
    const dialer = new SimulatedDialer(reporter, { min: 5, max: 30 }, () => 0.5);

    await dialer.dial(dialOf('call-1'));
    await jest.advanceTimersByTimeAsync(0);
    expect(reporter.events).toEqual([{ callId: 'call-1', status: 'answered' }]);

    await jest.advanceTimersByTimeAsync(17_499);
    expect(reporter.events).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(1);
    expect(reporter.events[1]).toEqual({
      callId: 'call-1',
      status: 'completed',
      durationSeconds: 17.5,
    });
  });

  it.each([
    [0, 5],
    [0.999_999_9, 30],
  ])('draws %p as a call of %p seconds, the ends of the range 5-30', async (draw, seconds) => {
    jest.useFakeTimers();
    const dialer = new SimulatedDialer(reporter, { min: 5, max: 30 }, () => draw);

    await dialer.dial(dialOf('call-1'));
    await jest.advanceTimersByTimeAsync(seconds * 1000);

    expect(reporter.events.at(-1)).toEqual({
      callId: 'call-1',
      status: 'completed',
      durationSeconds: seconds,
    });
  });

  it('keeps every reported duration within the range with the real random source', async () => {
    jest.useFakeTimers();
    const dialer = new SimulatedDialer(reporter, { min: 0.01, max: 0.05 });

    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((callId) => dialer.dial(dialOf(callId))));
    await jest.advanceTimersByTimeAsync(50);

    const completed = reporter.events.filter((event) => event.status === 'completed');
    expect(completed).toHaveLength(5);
    for (const event of completed) {
      expect(event.durationSeconds).toBeGreaterThanOrEqual(0.01);
      expect(event.durationSeconds).toBeLessThanOrEqual(0.05);
    }
  });

  it('still ends the call when reporting the answer fails, and logs the failure', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failingOnce: SimulatedCallReporter = {
      report: async (callId, status, durationSeconds) => {
        if (status === 'answered') {
          throw new Error('Redis is gone');
        }
        await reporter.report(callId, status, durationSeconds);
      },
    };
    const dialer = new SimulatedDialer(failingOnce, { min: 0, max: 0 });

    await dialer.dial(dialOf('call-1'));
    await nextTurns();

    expect(reporter.events).toEqual([
      { callId: 'call-1', status: 'completed', durationSeconds: 0 },
    ]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0][0])).toContain('call_id=call-1 status=answered');
  });

  it('reports nothing more once stopped', async () => {
    jest.useFakeTimers();
    const dialer = new SimulatedDialer(reporter, { min: 5, max: 5 });
    await dialer.dial(dialOf('call-1'));
    await jest.advanceTimersByTimeAsync(0);
    await dialer.dial(dialOf('call-2'));

    dialer.stop();
    await jest.advanceTimersByTimeAsync(60_000);

    expect(reporter.events).toEqual([{ callId: 'call-1', status: 'answered' }]);
  });
});

describe('DialerModule with DIALER_DRIVER=simulated', () => {
  async function compileWith(simulatedCallSeconds: string) {
    const environment = readEnvironment({
      DIALER_DRIVER: 'simulated',
      SIMULATED_CALL_SECONDS: simulatedCallSeconds,
    });

    return Test.createTestingModule({
      imports: [
        EnvironmentModule.forRoot(environment),
        DialerModule.register({ reporter: RecordingReporter }),
      ],
    }).compile();
  }

  it('provides a SimulatedDialer that reports through the reporter it was given', async () => {
    const moduleRef = await compileWith('0');
    const driver = moduleRef.get<DialerDriver>(DIALER_DRIVER);

    await driver.dial(dialOf('call-1'));
    await nextTurns();

    expect(driver).toBeInstanceOf(SimulatedDialer);
    expect(moduleRef.get(RecordingReporter).events).toEqual([
      { callId: 'call-1', status: 'answered' },
      { callId: 'call-1', status: 'completed', durationSeconds: 0 },
    ]);
    await moduleRef.close();
  });

  it('stops the simulated calls when the application shuts down', async () => {
    const moduleRef = await compileWith('5-30');
    const stop = jest.spyOn(moduleRef.get<SimulatedDialer>(DIALER_DRIVER), 'stop');

    await moduleRef.close();

    expect(stop).toHaveBeenCalledTimes(1);
  });
});
