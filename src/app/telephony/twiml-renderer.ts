import twilio from 'twilio';
import type { LiveConfiguration } from '../../core/telephony/config-versions.js';
import { servicePrompt } from '../../core/telephony/service-prompts.js';
import type { Handoff, SpokenPrompt, Turn } from '../../core/telephony/turn.js';
import type { Language } from '../../core/profile/customer-profile.js';
import type { VoiceUrls } from './voice-urls.js';

type VoiceResponse = twilio.twiml.VoiceResponse;
type SayAttributes = NonNullable<Parameters<VoiceResponse['say']>[0]>;
type PlayAttributes = NonNullable<Parameters<VoiceResponse['play']>[0]>;
type GatherAttributes = NonNullable<Parameters<VoiceResponse['gather']>[0]>;

/**
 * Text-to-speech per caller language. <Say> and <Gather> take different language enums:
 * Mandarin is `cmn-CN` for the Polly voice that speaks it and `cmn-Hans-CN` for Gather.
 */
const VOICES: Record<Language, { say: NonNullable<SayAttributes['language']>; voice: NonNullable<SayAttributes['voice']>; gather: NonNullable<GatherAttributes['language']> }> = {
  'zh-CN': { say: 'cmn-CN', voice: 'Polly.Zhiyu', gather: 'cmn-Hans-CN' },
  'en-US': { say: 'en-US', voice: 'Polly.Joanna', gather: 'en-US' },
};

export interface TwimlOptions {
  urls: VoiceUrls;
  /** TaskRouter workflow for hand-offs; null: <Enqueue> to a queue named after the skill group. */
  workflowSid: string | null;
  taskTimeoutSec: number;
  holdMusicUrl: string;
}

type Speaker = { say(attrs: SayAttributes, text: string): unknown; play(attrs: PlayAttributes, url: string): unknown };

/** Turns of the core as TwiML, written with the twilio library's VoiceResponse. */
export class TwimlRenderer {
  constructor(private readonly opts: TwimlOptions) {}

  turn(turn: Turn): string {
    const r = new twilio.twiml.VoiceResponse();
    const input = turn.input;
    if (input && turn.step !== null) {
      const announcements = turn.prompts.slice(0, input.from);
      const waiting = turn.prompts.slice(input.from);
      for (const p of announcements) this.speak(r, p);
      if (!input.bargeIn) for (const p of waiting) this.speak(r, p);
      const gather = r.gather({
        input: ['dtmf'],
        numDigits: input.numDigits,
        // '#' is a key the flows handle, not the end of the input (Twilio's default finishOnKey).
        finishOnKey: '',
        timeout: Math.max(1, Math.round(input.timeoutSec)),
        action: this.opts.urls.gather(turn.step),
        method: 'POST',
        actionOnEmptyResult: true,
        language: VOICES[turn.language].gather,
      });
      if (input.bargeIn) for (const p of waiting) this.speak(gather, p);
      // Reached only if Twilio falls through the Gather without calling its action.
      r.redirect({ method: 'POST' }, this.opts.urls.gather(turn.step, { noInput: true }));
      return r.toString();
    }
    for (const p of turn.prompts) this.speak(r, p);
    const end = turn.end;
    if (end?.outcome === 'handoff' && end.handoff) this.enqueue(r, turn, end.handoff);
    else r.hangup();
    return r.toString();
  }

  /** The queue's wait music, with the caller's position when Twilio reports it. */
  hold(live: LiveConfiguration, language: Language, position: number | null): string {
    const r = new twilio.twiml.VoiceResponse();
    if (position !== null && position > 0) this.speak(r, servicePrompt(live.config.flows.prompts, 'live.queue-position', language, { position }));
    r.play({}, this.opts.holdMusicUrl);
    return r.toString();
  }

  /** The caller left the queue without an agent while still on the line: say so and end the call. */
  queueFailed(live: LiveConfiguration, language: Language): string {
    const r = new twilio.twiml.VoiceResponse();
    this.speak(r, servicePrompt(live.config.flows.prompts, 'live.queue-failed', language));
    r.hangup();
    return r.toString();
  }

  /** Nothing more to do on the call. */
  empty(): string {
    return new twilio.twiml.VoiceResponse().toString();
  }

  private speak(parent: Speaker, p: SpokenPrompt): void {
    if (p.audioUrl) parent.play({}, p.audioUrl);
    else parent.say({ language: VOICES[p.language].say, voice: VOICES[p.language].voice }, p.text);
  }

  private enqueue(r: VoiceResponse, turn: Turn, h: Handoff): void {
    const common = {
      action: this.opts.urls.queueResult(),
      method: 'POST',
      waitUrl: this.opts.urls.hold(turn.language),
      waitUrlMethod: 'POST',
    };
    if (!this.opts.workflowSid) {
      r.enqueue(common, h.queue);
      return;
    }
    const attributes = {
      type: 'inbound_call',
      callSid: turn.callSid,
      queue: h.queue,
      priority: h.priority,
      overflow: h.overflow,
      segment: h.segment,
      tags: h.tags.map(({ key, text, severity }) => ({ key, text, severity })),
      customer: h.customer,
      explanation: h.explanation,
      configVersion: turn.configVersion,
      ...(h.fault ? { fault: h.fault } : {}),
    };
    r.enqueue({ ...common, workflowSid: this.opts.workflowSid }).task({ priority: h.priority, timeout: this.opts.taskTimeoutSec }, JSON.stringify(attributes));
  }
}
