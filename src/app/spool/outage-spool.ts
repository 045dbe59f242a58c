import type { AppLogger } from '../../infra/logging/logger.js';
import type { FileSpool } from './file-spool.js';
import { NamedError } from '../../core/errors/named-error.js';

/** One spooled item: `kind` names the handler that applies it. */
export interface SpoolItem {
  kind: string;
  data: unknown;
}

/** Applies one item to Redis. Throws to be tried again later; PermanentSpoolError sets the item aside. */
export type SpoolHandler = (data: unknown) => Promise<void>;

/** An item that can never be applied (unreadable, or its call's state is gone for good): set aside, not retried. */
export class PermanentSpoolError extends NamedError {
  readonly code = 'SPOOL_ITEM_UNUSABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentSpoolError';
  }
}

/** What the spool needs to hear about Redis: that it is back. */
export interface ReadySignal {
  on(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

/**
 * What Redis could not take during an outage (opt-outs, finished calls), kept in this instance's
 * spool file and applied in order once Redis is back: when its client reconnects, every
 * `retryMs` while anything waits, and at start-up. While anything waits, new items of the same
 * kinds queue behind it (`add`) instead of overtaking it in Redis; see `isEmpty`.
 */
export class OutageSpool {
  private readonly handlers = new Map<string, SpoolHandler>();
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private closed = false;
  private outageLogged = false;
  private readonly onReady = () => this.kick();

  constructor(
    private readonly spool: FileSpool<SpoolItem>,
    private readonly log: AppLogger,
    private readonly retryMs: number,
    private readonly redis?: ReadySignal,
  ) {
    redis?.on('ready', this.onReady);
    const r = spool.recovery;
    if (r.tornBytes) log.warn({ spool: spool.file, bytes: r.tornBytes }, 'spool: dropped a line cut short by a crash while it was being written (never acknowledged)');
    for (const u of r.unreadable) log.error({ spool: spool.file, line: u.line }, `spool: line ${u.line} is unreadable; set aside in ${spool.file}.rejected`);
    if (r.pending) log.warn({ spool: spool.file, waiting: r.pending }, 'spool: items from before the restart wait to be applied');
  }

  register(kind: string, handler: SpoolHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Nothing waits: an item may go straight to Redis without overtaking an earlier one. */
  get isEmpty(): boolean {
    return this.spool.size === 0;
  }

  get waiting(): number {
    return this.spool.size;
  }

  /** Keeps `item` on disk (resolved once it is synced) and applies it when Redis takes it. */
  async add(kind: string, data: unknown): Promise<number> {
    const seq = await this.spool.append({ kind, data });
    this.schedule();
    return seq;
  }

  /** Starts draining what earlier runs left, once every handler is registered. */
  start(): void {
    this.started = true;
    this.kick();
  }

  /** Applies what waits now (one drain at a time); resolves with how many were applied. */
  async drain(): Promise<number> {
    if (!this.started || this.closed || this.spool.size === 0) return 0;
    const result = await this.spool.drain((item, seq) => this.apply(item, seq));
    if (result.stoppedBy !== undefined) {
      if (!this.outageLogged) this.log.warn({ waiting: result.remaining, err: (result.stoppedBy as Error).message }, 'spool: Redis cannot take the waiting items yet; retrying');
      this.outageLogged = true;
      this.schedule();
    } else if (result.applied) {
      this.log.info({ applied: result.applied }, 'spool: waiting items applied');
      this.outageLogged = false;
    }
    return result.applied;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.redis?.off('ready', this.onReady);
    await this.spool.close();
  }

  private async apply(item: SpoolItem, seq: number): Promise<void> {
    const handler = this.handlers.get(item.kind);
    try {
      if (!handler) throw new PermanentSpoolError(`no handler for spooled items of kind "${item.kind}"`);
      await handler(item.data);
    } catch (err) {
      if (!(err instanceof PermanentSpoolError)) throw err;
      await this.spool.setAside({ seq, value: item }, err.message);
      this.log.error({ spool: this.spool.file, seq, kind: item.kind, err: err.message }, `spool: item cannot be applied; set aside in ${this.spool.file}.rejected`);
    }
  }

  private kick(): void {
    if (this.closed) return;
    this.drain().catch((err: unknown) => {
      this.log.error({ err: (err as Error).message }, 'spool: drain failed');
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, this.retryMs);
    this.timer.unref();
  }
}
