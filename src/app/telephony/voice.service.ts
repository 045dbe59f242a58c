import { Inject, Injectable, Optional } from '@nestjs/common';
import { maskPhone } from '../../core/customers/customer-directory.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import { CallStateUnavailableError } from '../../core/telephony/live-call-errors.js';
import type { LiveCallCoordinator, TurnReply } from '../../core/telephony/live-call-coordinator.js';
import type { Language } from '../../core/profile/customer-profile.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { CallRecorder } from '../recording/call-recorder.js';
import { HANDOFF_LISTENER, type HandoffListener } from '../screen-pop/handoff-listener.js';
import { SmsService } from '../sms/sms.service.js';
import { CONFIG_VERSIONS, LIVE_CALLS, LOGGER } from '../tokens.js';
import { TwimlRenderer } from './twiml-renderer.js';
import { FINAL_STATUSES, type GatherEvent, type HoldRequest, type IncomingCall, type QueueResult, type StatusReport } from './webhook-params.js';

/** A webhook's TwiML and what its log line says about it. */
export interface WebhookReply {
  xml: string;
  log: Record<string, unknown>;
}

/** Queue results after which the caller is no longer on the line (or is with an agent). */
const LEFT_THE_LINE: ReadonlySet<string> = new Set(['bridged', 'bridging-in-process', 'hangup', 'redirected']);

/** The voice webhooks: each asks the live-call core for a turn and writes it as TwiML. */
@Injectable()
export class VoiceService {
  constructor(
    @Inject(LIVE_CALLS) private readonly calls: LiveCallCoordinator,
    @Inject(TwimlRenderer) private readonly twiml: TwimlRenderer,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(CallRecorder) private readonly recorder: CallRecorder,
    @Optional() @Inject(HANDOFF_LISTENER) private readonly handoffs?: HandoffListener,
    @Optional() @Inject(SmsService) private readonly sms?: SmsService,
  ) {}

  async incoming(call: IncomingCall): Promise<WebhookReply> {
    const reply = await this.calls.incoming(call);
    await this.announceHandoff(reply);
    await this.queueCallSms(reply);
    return this.answer(reply, { callSid: call.callSid, caller: maskPhone(call.caller) });
  }

  async gather(ev: GatherEvent): Promise<WebhookReply> {
    const reply = ev.kind === 'hangup' ? await this.calls.hangup(ev) : await this.calls.input(ev);
    await this.announceHandoff(reply);
    await this.queueCallSms(reply);
    const input = ev.kind === 'hangup' ? 'hangup' : ev.input.kind;
    return this.answer(reply, { callSid: ev.callSid, requestStep: ev.step, input });
  }

  /** Records a finished call (spooled while Redis is unreachable); Twilio ignores the body of a status callback. */
  async status(report: StatusReport): Promise<WebhookReply> {
    const log: Record<string, unknown> = { callSid: report.callSid, callStatus: report.callStatus };
    if (!FINAL_STATUSES.has(report.callStatus)) return { xml: this.twiml.empty(), log };
    const r = await this.recorder.finished(report);
    if (r.kind === 'spooled') return { xml: this.twiml.empty(), log: { ...log, recorded: false, spooled: r.seq, fault: r.fault } };
    const line = r.kind === 'recorded' ? r.line : null;
    return { xml: this.twiml.empty(), log: { ...log, recorded: line !== null, outcome: line?.observed?.outcome, queue: line?.observed?.queue } };
  }

  hold(req: HoldRequest): WebhookReply {
    return { xml: this.twiml.hold(this.versions.current, req.language, req.position), log: { callSid: req.callSid, position: req.position } };
  }

  /** Keeps how long the caller waited; a caller still on the line without an agent is told and let go. */
  async queueResult(q: QueueResult): Promise<WebhookReply> {
    let language: Language | undefined;
    try {
      language = (await this.calls.queueResult(q))?.language;
    } catch (err) {
      if (!(err instanceof CallStateUnavailableError)) throw err;
      this.log.error({ callSid: q.callSid, code: err.code }, 'queue result not stored: state store unreachable');
    }
    const log = { callSid: q.callSid, queueResult: q.result, waitSec: q.waitSec };
    if (LEFT_THE_LINE.has(q.result)) return { xml: this.twiml.empty(), log };
    return { xml: this.twiml.queueFailed(this.versions.current, language ?? 'zh-CN'), log };
  }

  /**
   * Hand-off hook (agent screen pops): once per call, on the turn that queues it. Only an
   * `advanced` reply moved the call, so Twilio's retries and racing duplicates announce nothing.
   */
  private async announceHandoff(reply: TurnReply): Promise<void> {
    if (this.handoffs && reply.kind === 'advanced' && reply.turn.end?.outcome === 'handoff') await this.handoffs.handedOff(reply.turn);
  }

  /**
   * Triggered SMS: once per call, on the turn that ends the IVR (self-served or handed off).
   * SmsService.callDecided never throws and waits at most a second.
   */
  private async queueCallSms(reply: TurnReply): Promise<void> {
    if (this.sms && reply.kind === 'advanced' && reply.turn.end?.decision) await this.sms.callDecided(reply.turn);
  }

  private answer(reply: TurnReply, log: Record<string, unknown>): WebhookReply {
    const t = reply.turn;
    return {
      xml: this.twiml.turn(t),
      log: {
        ...log,
        reply: reply.kind,
        ...(reply.fault ? { fault: reply.fault } : {}),
        state: t.state,
        step: t.step,
        ...(t.end ? { outcome: t.end.outcome, queue: t.end.handoff?.queue ?? null } : {}),
        configVersion: t.configVersion,
      },
    };
  }
}
