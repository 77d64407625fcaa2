import {
  DynamicModule,
  Inject,
  Module,
  ModuleMetadata,
  OnModuleDestroy,
  Type,
} from '@nestjs/common';
import { Environment } from '../environment/environment';
import { ENVIRONMENT } from '../environment/environment.module';
import { DIALER_DRIVER, DialerDriver } from './dialer-driver';
import { HttpDialer } from './http-dialer';
import { SimulatedCallReporter, SimulatedDialer } from './simulated-dialer';

export interface DialerModuleOptions {
  /** The class that applies the simulated driver's call events; this module instantiates it. */
  reporter: Type<SimulatedCallReporter>;
  /** Modules whose exported providers the reporter injects. */
  imports?: ModuleMetadata['imports'];
}

/**
 * Provides {@link DIALER_DRIVER}: the `http` or the `simulated` driver, as `DIALER_DRIVER` says.
 *
 * The simulated driver reports call events back into the service, which the module that dials
 * owns. So that this module never imports that one (a cycle), the importing module hands over the
 * reporter class and the modules it depends on:
 * `DialerModule.register({ reporter: SimulatedCallEvents, imports: [CallsModule] })`.
 * The reporter must not itself depend on DIALER_DRIVER.
 */
@Module({})
export class DialerModule implements OnModuleDestroy {
  constructor(@Inject(DIALER_DRIVER) private readonly driver: DialerDriver) {}

  static register(options: DialerModuleOptions): DynamicModule {
    return {
      module: DialerModule,
      imports: options.imports ?? [],
      providers: [
        options.reporter,
        {
          provide: DIALER_DRIVER,
          inject: [ENVIRONMENT, options.reporter],
          useFactory: createDialerDriver,
        },
      ],
      exports: [DIALER_DRIVER],
    };
  }

  /** Simulated calls still to end would report into a service that is closing its Redis. */
  onModuleDestroy(): void {
    if (this.driver instanceof SimulatedDialer) {
      this.driver.stop();
    }
  }
}

export function createDialerDriver(
  environment: Environment,
  reporter: SimulatedCallReporter,
): DialerDriver {
  if (environment.dialerDriver === 'simulated') {
    return new SimulatedDialer(reporter, environment.simulatedCallSeconds);
  }
  // readEnvironment refuses DIALER_DRIVER=http without DIALER_URL; this guards other builders.
  if (environment.dialerUrl === null) {
    throw new Error('DIALER_URL is required when DIALER_DRIVER is http');
  }

  return new HttpDialer({ url: environment.dialerUrl, token: environment.dialerToken });
}
