import { DynamicModule, Global, Module } from '@nestjs/common';
import { Environment } from './environment';

/** Injection token of the validated {@link Environment}. */
export const ENVIRONMENT = Symbol('Environment');

/** Makes the environment, validated once in `main.ts`, injectable everywhere. */
@Global()
@Module({})
export class EnvironmentModule {
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: EnvironmentModule,
      providers: [{ provide: ENVIRONMENT, useValue: environment }],
      exports: [ENVIRONMENT],
    };
  }
}
