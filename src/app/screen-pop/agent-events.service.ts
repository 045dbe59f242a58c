import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AgentQueuesError, parseQueueList, queuesOfAgent } from '../../core/screen-pop/agent-queues.js';
import { decodeCursor, encodeCursor, inStreamOrder, isQueueId, type Positions } from '../../core/screen-pop/stream-cursor.js';
import { loadStaffingFile } from '../../core/staffing/staffing-file.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { LOGGER } from '../tokens.js';
import { AgentRequestError } from './agent-request-error.js';
import type { RedisScreenPopStreams, StreamedEntry } from './redis-screen-pop-streams.js';
import type { ScreenPopSettings } from './screen-pop-settings.js';
import { SCREEN_POP_SETTINGS, SCREEN_POP_STREAMS } from './screen-pop-tokens.js';
import { SseStream, type SseReply } from './sse-stream.js';

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/** Whose desktop a stream feeds and which queues it covers. */
export interface Subscription {
  /** Null for a queue's own stream (`/queues/:queue/events`). */
  agentId: string | null;
  queues: string[];
  /** Where the queues came from: the request's `queues`, the agent's staffing group, or the path. */
  queuesFrom: 'request' | 'staffing' | 'path';
  group: string | null;
}

/** What the first event of every stream says. */
export interface ReadyEvent extends Subscription {
  /** True when the stream goes on from the client's Last-Event-ID (a reconnect catching up). */
  resumed: boolean;
}

/** Streams screen pops to desktops as Server-Sent Events, each desktop on a blocking read of its own. */
@Injectable()
export class AgentEventsService implements OnModuleDestroy {
  /** Stops every open stream, so the server can close on shutdown. */
  private readonly open = new Set<() => void>();

  constructor(
    @Inject(SCREEN_POP_STREAMS) private readonly streams: RedisScreenPopStreams,
    @Inject(SCREEN_POP_SETTINGS) private readonly settings: ScreenPopSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  /**
   * The queues an agent's desktop covers: `queues=a,b` when given, else the queues of the
   * staffing group the agent id starts with (`vip-desk-07` → group vip-desk's skills).
   */
  async forAgent(agentId: string, queues: unknown): Promise<Subscription> {
    if (!AGENT_ID.test(agentId)) throw new AgentRequestError(`agent id ${JSON.stringify(agentId)}: letters, digits, '.', '_', '@' and '-', at most 64`);
    const list = typeof queues === 'string' ? queues : Array.isArray(queues) ? queues.filter((q) => typeof q === 'string').join(',') : undefined;
    if (list !== undefined) {
      try {
        return { agentId, queues: parseQueueList(list), queuesFrom: 'request', group: null };
      } catch (err) {
        if (err instanceof AgentQueuesError) throw new AgentRequestError(err.message);
        throw err;
      }
    }
    const file = this.settings.staffingFile;
    let staffing;
    try {
      staffing = (await loadStaffingFile(file)).staffing;
    } catch (err) {
      throw new AgentRequestError(`no queues given and the staffing file ${file} cannot be read (${(err as Error).message}); give queues=…`);
    }
    const found = queuesOfAgent(agentId, staffing);
    if (!found) {
      throw new AgentRequestError(
        `agent ${agentId} is in no staffing group (an agent id starts with its group's id: ${staffing.groups.map((g) => `${g.id}-…`).join(', ')}); or give queues=…`,
      );
    }
    return { agentId, queues: found.queues, queuesFrom: 'staffing', group: found.group };
  }

  forQueue(queue: string): Subscription {
    if (!isQueueId(queue)) throw new AgentRequestError(`not a queue id: ${JSON.stringify(queue)} (letters, digits, '-', '_' and '.')`);
    return { agentId: null, queues: [queue], queuesFrom: 'path', group: null };
  }

  /**
   * Streams until the client goes away or the service stops. The first event (`ready`) carries
   * the starting cursor as its id, so even a desktop that saw no pop resumes where it was.
   * Without a usable Last-Event-ID the stream starts at the newest entry of each queue. When
   * Redis fails, the stream ends and EventSource reconnects after `retry`.
   */
  async stream(sub: Subscription, lastEventId: string | undefined, reply: SseReply): Promise<void> {
    const sse = new SseStream(reply);
    const res = reply.raw;
    const reader = this.streams.openReader();
    let stopped = false;
    const stop = () => {
      stopped = true;
      reader.close();
    };
    res.on('close', stop);
    this.open.add(stop);
    try {
      const resumeFrom = decodeCursor(lastEventId, sub.queues);
      let positions: Positions;
      try {
        positions = resumeFrom ?? (await this.streams.latest(sub.queues));
      } catch (err) {
        this.log.warn({ agentId: sub.agentId, queues: sub.queues, err: (err as Error).message }, 'screen pop streams unreachable; the desktop retries');
        sse.open(this.settings.retryMs);
        await sse.event('unavailable', null, { message: 'screen pops are unavailable for now; reconnecting' });
        return;
      }
      if (stopped) return;
      sse.open(this.settings.retryMs);
      const ready: ReadyEvent = { ...sub, resumed: resumeFrom !== null };
      await sse.event('ready', encodeCursor(sub.queues, positions), ready);
      while (!stopped) {
        let entries: StreamedEntry[];
        try {
          entries = await reader.read(positions, this.settings.heartbeatMs);
        } catch (err) {
          if (!stopped) this.log.warn({ agentId: sub.agentId, queues: sub.queues, err: (err as Error).message }, 'screen pop stream read failed; the desktop reconnects');
          break;
        }
        if (stopped) break;
        if (entries.length === 0) {
          await sse.comment('heartbeat');
          continue;
        }
        for (const e of inStreamOrder(entries)) {
          positions.set(e.queue, e.id);
          if (e.pop) await sse.event('screen-pop', encodeCursor(sub.queues, positions), e.pop);
        }
      }
    } finally {
      res.off('close', stop);
      this.open.delete(stop);
      reader.close();
      sse.end();
    }
  }

  onModuleDestroy(): void {
    for (const stop of Array.from(this.open)) stop(); // a copy: each stop() leaves the set
  }
}
