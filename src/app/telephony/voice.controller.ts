import { Body, Controller, Header, HttpCode, Inject, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ServedOn } from '../listeners/listener.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { VoiceService, type WebhookReply } from './voice.service.js';
import { WebhookLogInterceptor } from './webhook-log.interceptor.js';
import { readGather, readHold, readIncoming, readQueueResult, readStatus, type TwilioParams } from './webhook-params.js';

const XML = 'text/xml; charset=utf-8';

/** Twilio's voice webhooks. Each handler reads the form, calls one service method; the interceptor writes TwiML and the log line. */
@Controller('voice')
@ServedOn('public')
@UseGuards(TwilioSignatureGuard)
@UseInterceptors(WebhookLogInterceptor)
export class VoiceController {
  constructor(@Inject(VoiceService) private readonly voice: VoiceService) {}

  @Post('incoming')
  @HttpCode(200)
  @Header('Content-Type', XML)
  incoming(@Body() body: TwilioParams = {}): Promise<WebhookReply> {
    return this.voice.incoming(readIncoming(body));
  }

  @Post('gather')
  @HttpCode(200)
  @Header('Content-Type', XML)
  gather(@Body() body: TwilioParams = {}, @Query() query: TwilioParams = {}): Promise<WebhookReply> {
    return this.voice.gather(readGather(body, query));
  }

  @Post('status')
  @HttpCode(200)
  @Header('Content-Type', XML)
  status(@Body() body: TwilioParams = {}): Promise<WebhookReply> {
    return this.voice.status(readStatus(body));
  }

  @Post('hold')
  @HttpCode(200)
  @Header('Content-Type', XML)
  hold(@Body() body: TwilioParams = {}, @Query() query: TwilioParams = {}): WebhookReply {
    return this.voice.hold(readHold(body, query));
  }

  @Post('queue-result')
  @HttpCode(200)
  @Header('Content-Type', XML)
  queueResult(@Body() body: TwilioParams = {}): Promise<WebhookReply> {
    return this.voice.queueResult(readQueueResult(body));
  }
}
