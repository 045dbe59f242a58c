import { Module } from '@nestjs/common';
import { DesignerCompareService } from './designer-compare.service.js';
import { DesignerEditController } from './designer-edit.controller.js';
import { DesignerEditService } from './designer-edit.service.js';
import { DesignerPublishService } from './designer-publish.service.js';
import { DesignerController } from './designer.controller.js';
import { DesignerService } from './designer.service.js';

/** GET /designer: see, try and edit flows in a browser against the configuration being served. */
@Module({ controllers: [DesignerController, DesignerEditController], providers: [DesignerService, DesignerEditService, DesignerPublishService, DesignerCompareService] })
export class DesignerModule {}
