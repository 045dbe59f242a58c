import { Controller, Get, Header } from '@nestjs/common';
import { ServedOn } from '../listeners/listener.js';
import { AGENT_PAGE } from '../pages/agent-page.js';
import { HTML } from '../pages/html-page.js';

@Controller('agent')
@ServedOn('internal')
export class AgentPageController {
  @Get()
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', AGENT_PAGE.csp)
  page(): string {
    return AGENT_PAGE.html;
  }
}
