import { Module } from '@nestjs/common';
import { DesignerController } from './designer.controller.js';
import { DesignerService } from './designer.service.js';

/** GET /designer: try flows in a browser against the configuration being served. */
@Module({ controllers: [DesignerController], providers: [DesignerService] })
export class DesignerModule {}
