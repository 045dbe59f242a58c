import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ServedOn } from '../listeners/listener.js';
import { DESIGNER_PAGE } from '../pages/designer-page.js';
import { HTML, type Page } from '../pages/html-page.js';
import { DesignerService, type DesignerConfigState, type DesignerCustomer, type DesignerFlow, type DesignerTryResult } from './designer.service.js';

/** The designer page and what it reads: flows, their diagrams, customers, and calls walked key by key. */
@Controller('designer')
@ServedOn('internal')
export class DesignerController {
  constructor(@Inject(DesignerService) private readonly designer: DesignerService) {}

  @Get()
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', DESIGNER_PAGE.csp)
  page(): Page['html'] {
    return DESIGNER_PAGE.html;
  }

  @Get('flows')
  flows(): { config: DesignerConfigState; flows: DesignerFlow[] } {
    return this.designer.overview();
  }

  @Get('flows/:id/diagram.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  diagram(@Param('id') id: string): Promise<string> {
    return this.designer.diagramSvg(id);
  }

  @Get('subflows')
  subflows(): { subflows: Record<string, unknown> } {
    return this.designer.subflows();
  }

  @Get('customers')
  customers(): { customers: DesignerCustomer[] } {
    return this.designer.customers();
  }

  @Post('try')
  @HttpCode(200)
  try(@Body() body: unknown): DesignerTryResult {
    return this.designer.try(body);
  }
}
