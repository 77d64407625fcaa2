import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { REDIS } from '../redis/redis.module';
import { RedisClient } from '../redis/redis-connection';

const PING_TIMEOUT_MS = 1000;

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: '200 while Redis answers, 503 otherwise. Needs no token.' })
  async check(): Promise<{ status: 'ok' }> {
    const answered = await Promise.race([
      this.redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref()),
    ]);
    if (!answered) {
      throw new ServiceUnavailableException('Redis does not answer.');
    }

    return { status: 'ok' };
  }
}
