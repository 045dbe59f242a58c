import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import type { HttpReply } from '../http-types.js';
import { ServedOn } from '../listeners/listener.js';
import { AgentEventsService } from './agent-events.service.js';

/** Screen pops as Server-Sent Events: per agent (the queues they serve) or per queue. */
@Controller()
@ServedOn('internal')
export class AgentEventsController {
  constructor(@Inject(AgentEventsService) private readonly events: AgentEventsService) {}

  @Get('agents/:agentId/events')
  async agent(
    @Param('agentId') agentId: string,
    @Query('queues') queues: unknown,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() res: HttpReply,
  ): Promise<void> {
    await this.events.stream(await this.events.forAgent(agentId, queues), lastEventId, res);
  }

  @Get('queues/:queue/events')
  async queue(@Param('queue') queue: string, @Headers('last-event-id') lastEventId: string | undefined, @Res() res: HttpReply): Promise<void> {
    await this.events.stream(this.events.forQueue(queue), lastEventId, res);
  }
}
