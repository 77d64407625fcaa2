import { Module } from '@nestjs/common';
import { DncController } from './dnc.controller';
import { DncService } from './dnc.service';

/**
 * The do-not-call list without its HTTP routes: what the pacing engine imports, so that a `worker`
 * process checks the list at dial time without serving the API.
 */
@Module({
  providers: [DncService],
  exports: [DncService],
})
export class DncListModule {}

/** The do-not-call HTTP API (SPEC 3.5), for the roles that serve it; exports {@link DncService}. */
@Module({
  imports: [DncListModule],
  controllers: [DncController],
  exports: [DncListModule],
})
export class DncModule {}
