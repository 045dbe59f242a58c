import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HttpReply } from '../http-types.js';
import { ServedOn } from '../listeners/listener.js';
import { HealthService, type HealthReport } from './health.service.js';

/** On both listeners: a load balancer checks the public one, operators may check the internal one. */
@Controller('health')
@ServedOn('public', 'internal')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  /** 200 while calls can be served (ok or degraded), 503 when they cannot (Redis down). */
  @Get()
  async get(@Res({ passthrough: true }) res: HttpReply): Promise<HealthReport> {
    const report = await this.health.check();
    res.code(report.status === 'down' ? 503 : 200);
    return report;
  }
}
