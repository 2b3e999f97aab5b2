import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { TemporalClientHolder } from '../temporal/temporal-client.holder';

const CHECK_TIMEOUT_MS = 3000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly temporal: TemporalClientHolder,
  ) {}

  @Get()
  @SkipThrottle()
  @HealthCheck()
  @ApiOperation({ summary: 'The API and its Temporal connection: 200 when connected, 503 with the reason when not' })
  check() {
    return this.health.check([() => this.temporalCheck()]);
  }

  private async temporalCheck() {
    const check = this.indicator.check('temporal');
    const { env } = this.temporal;
    try {
      await this.temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
        this.temporal.connection.workflowService.getSystemInfo({}),
      );
      return check.up({ address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE });
    } catch (err) {
      return check.down({ address: env.TEMPORAL_ADDRESS, reason: err instanceof Error ? err.message : String(err) });
    }
  }
}
