import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AgentIdPipe } from '../common/agent-id.pipe';
import { ConfigurationService } from './configuration.service';
import { ConfigurationResponse } from './configuration.types';
import { ConfigurationDto } from './dto/configuration.dto';
import { ConfigurationResponseDto } from './dto/configuration-response.dto';
import { JsonObjectBodyInterceptor } from './json-object-body.interceptor';

const AgentId = () => Param('agent_id', AgentIdPipe);

const ERROR_SHAPE = 'Body: {statusCode, error, message, details: [{field, problem}]}.';

@ApiTags('outbound configuration')
@ApiBearerAuth()
@ApiParam({ name: 'agent_id', format: 'uuid', description: "The voice agent's id." })
@ApiResponse({ status: 400, description: `Invalid request. ${ERROR_SHAPE}` })
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token.' })
@Controller('outbound/agents/:agent_id/outbound-config')
export class ConfigurationController {
  constructor(private readonly configurations: ConfigurationService) {}

  @Post()
  @HttpCode(200)
  @UseInterceptors(JsonObjectBodyInterceptor)
  @ApiOperation({
    summary: "Replace the agent's outbound configuration",
    description: 'Takes the complete configuration; whatever was stored before is replaced.',
  })
  @ApiOkResponse({ type: ConfigurationResponseDto, description: 'The stored configuration.' })
  @ApiResponse({ status: 413, description: 'The body is larger than 12 MB.' })
  replace(
    @AgentId() agentId: string,
    @Body() request: ConfigurationDto,
  ): Promise<ConfigurationResponse> {
    return this.configurations.replace(agentId, request);
  }

  @Get()
  @ApiOperation({ summary: "Read the agent's configuration and what it can do today" })
  @ApiOkResponse({ type: ConfigurationResponseDto })
  @ApiNotFoundResponse({ description: `The agent has no configuration. ${ERROR_SHAPE}` })
  get(@AgentId() agentId: string): Promise<ConfigurationResponse> {
    return this.configurations.get(agentId);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({
    summary: "Remove the agent's configuration",
    description: 'Also cancels every call of the agent that is not dialing yet.',
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse({ description: `The agent has no configuration. ${ERROR_SHAPE}` })
  remove(@AgentId() agentId: string): Promise<void> {
    return this.configurations.remove(agentId);
  }
}
