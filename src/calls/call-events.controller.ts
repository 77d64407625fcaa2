import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallEventResult, CallEventsService } from './call-events.service';
import { CallEventDto, CallEventQueryDto } from './dto/call-event.dto';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('outbound/calls')
export class CallEventsController {
  constructor(private readonly events: CallEventsService) {}

  @Post(':call_id/events')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The telephony side reports a call's progress. Repeated or late events change nothing.",
  })
  async report(
    @Param('call_id') callId: string,
    @Query() query: CallEventQueryDto,
    @Body() event: CallEventDto,
  ): Promise<{ result: CallEventResult }> {
    const result = await this.events.apply(callId, {
      status: event.status,
      durationSeconds: event.duration_seconds,
      attempt: query.attempt,
    });

    return { result };
  }
}
