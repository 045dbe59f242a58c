import { Module } from '@nestjs/common';
import { SpoolModule } from '../spool/spool.module.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

@Module({ imports: [SpoolModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
