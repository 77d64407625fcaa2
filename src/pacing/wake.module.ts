import { Module } from '@nestjs/common';
import { WakeRequests } from './wake-requests';

/** Wake-up requests, for every module that changes what a schedule may dial. */
@Module({
  providers: [WakeRequests],
  exports: [WakeRequests],
})
export class WakeModule {}
