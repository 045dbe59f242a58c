import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../../core/time/clock.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { Turn } from '../../core/telephony/turn.js';
import { screenPopOf, type ScreenPop } from '../../core/screen-pop/screen-pop.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { CLOCK, CONFIG_VERSIONS, LOGGER } from '../tokens.js';
import type { HandoffListener } from './handoff-listener.js';
import type { RedisScreenPopStreams } from './redis-screen-pop-streams.js';
import { SCREEN_POP_STREAMS } from './screen-pop-tokens.js';

/** Turns each hand-off into a screen pop on its queue's stream, for whichever instance serves the agents. */
@Injectable()
export class ScreenPopPublisher implements HandoffListener {
  constructor(
    @Inject(SCREEN_POP_STREAMS) private readonly streams: RedisScreenPopStreams,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  async handedOff(turn: Turn): Promise<void> {
    const handoff = turn.end?.handoff;
    if (!handoff) return;
    try {
      await this.streams.publish(this.popOf(turn));
    } catch (err) {
      // The caller is queued either way; the agent then answers without the card.
      this.log.warn({ callSid: turn.callSid, queue: handoff.queue, err: (err as Error).message }, 'screen pop not published');
    }
  }

  /** The caller's profile comes from the configuration the call was decided with (the current one if that is gone). */
  popOf(turn: Turn): ScreenPop {
    const nowMs = this.clock.now();
    const handoff = turn.end!.handoff!;
    const decision = turn.end!.decision;
    const live = (turn.configVersion !== null ? this.versions.get(turn.configVersion, nowMs) : undefined) ?? this.versions.current;
    const caller = decision?.caller.phone ?? '';
    const { profile, known, facts } = live.decider.profileOf({ callId: turn.callSid, caller, keys: [] });
    return screenPopOf({
      callSid: turn.callSid,
      handoff,
      decision,
      configVersion: turn.configVersion,
      profile: caller ? profile : { phone: '' },
      known: caller ? known : false,
      facts,
      language: turn.language,
      nowMs,
    });
  }
}
