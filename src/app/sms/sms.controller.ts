import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import twilio from 'twilio';
import type { SmsStatsView } from '../../infra/sms/redis-sms-stats.js';
import { ServedOn } from '../listeners/listener.js';
import { TwilioSignatureGuard } from '../telephony/twilio-signature.guard.js';
import type { TwilioParams } from '../telephony/webhook-params.js';
import { readInboundSms, readSmsStatus } from './sms-params.js';
import { SmsService } from './sms.service.js';

/** An empty messaging reply: nothing is texted back (Twilio's own opt-out handling answers STOP). */
const NO_REPLY = new twilio.twiml.MessagingResponse().toString();

/** Twilio's SMS webhooks (signed like the voice ones; public listener) and the counters (internal listener: they name calls and count opt-outs). */
@Controller('sms')
export class SmsController {
  constructor(@Inject(SmsService) private readonly sms: SmsService) {}

  @Post('inbound')
  @ServedOn('public')
  @UseGuards(TwilioSignatureGuard)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async inbound(@Body() body: TwilioParams = {}): Promise<string> {
    await this.sms.inbound(readInboundSms(body));
    return NO_REPLY;
  }

  @Post('status')
  @ServedOn('public')
  @UseGuards(TwilioSignatureGuard)
  @HttpCode(204)
  async status(@Body() body: TwilioParams = {}, @Query() query: TwilioParams = {}): Promise<void> {
    await this.sms.status(readSmsStatus(body, query));
  }

  @Get('stats')
  @ServedOn('internal')
  stats(): Promise<SmsStatsView> {
    return this.sms.stats();
  }
}
