import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AgentIdPipe } from '../common/agent-id.pipe';
import { Call } from './call.types';
import { BatchResult, CallPage, CallsService } from './calls.service';
import { CallBatchDto } from './dto/call-batch.dto';
import { CallListQueryDto } from './dto/call-list-query.dto';
import { CallRequestDto } from './dto/call-request.dto';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('outbound')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Post('agents/:agent_id/calls')
  @ApiOperation({
    summary: 'Enqueue one call (202; 200 with the earlier call for a known external_id).',
  })
  @ApiResponse({ status: 202, description: 'Queued.' })
  async enqueue(
    @Param('agent_id', AgentIdPipe) agentId: string,
    @Body() request: CallRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Call> {
    const { call, created } = await this.calls.enqueue(agentId, request);
    response.status(created ? 202 : 200);

    return call;
  }

  @Post('agents/:agent_id/calls/batch')
  @HttpCode(202)
  @ApiOperation({ summary: 'Enqueue up to 10,000 calls; a bad item rejects itself alone.' })
  enqueueBatch(
    @Param('agent_id', AgentIdPipe) agentId: string,
    @Body() batch: CallBatchDto,
  ): Promise<BatchResult> {
    return this.calls.enqueueBatch(agentId, batch.calls);
  }

  @Get('agents/:agent_id/calls')
  @ApiOperation({ summary: "List the agent's calls, oldest first, optionally by status." })
  list(
    @Param('agent_id', AgentIdPipe) agentId: string,
    @Query() query: CallListQueryDto,
  ): Promise<CallPage> {
    return this.calls.list(agentId, query.status, query.limit, query.cursor);
  }

  @Get('calls/:call_id')
  @ApiOperation({ summary: 'One call.' })
  get(@Param('call_id') callId: string): Promise<Call> {
    return this.calls.get(callId);
  }

  @Delete('calls/:call_id')
  @ApiOperation({ summary: 'Cancel a queued call (409 once it is dialing or over).' })
  cancel(@Param('call_id') callId: string): Promise<Call> {
    return this.calls.cancel(callId);
  }
}
